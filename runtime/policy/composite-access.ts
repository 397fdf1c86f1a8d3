/**
 * A composite tool exists for a caller only if every tool it calls does: nobody reaches a tool's
 * data through a composite that they could not call directly. Takes the others out of `visible`.
 */
export function dropUnreachableComposites(visible: Set<string>, requires: ReadonlyMap<string, readonly string[]>): void {
  for (const [name, steps] of requires) {
    if (visible.has(name) && !steps.every((step) => visible.has(step))) visible.delete(name);
  }
}
