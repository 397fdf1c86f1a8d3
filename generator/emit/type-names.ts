/** Names of a tool's argument and result types among the components of `types/tools.ts`. */
export const argsTypeName = (tool: string) => `${tool}.args`;
export const resultTypeName = (tool: string) => `${tool}.result`;
