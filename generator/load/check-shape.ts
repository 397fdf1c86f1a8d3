import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import type { ErrorSink } from "../errors.ts";
import { didYouMean } from "../suggest.ts";
import { locate, type PathSegment, type YamlFile } from "./yaml-file.ts";

export type SpecKind = "gateway" | "tools" | "access";

const schemaDirectory = new URL("../schema/", import.meta.url);
const validators = new Map<SpecKind, ValidateFunction>();

function validatorFor(kind: SpecKind): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    ajv.addKeyword({ keyword: "x-hint", schemaType: "string" });
    validate = ajv.compile(JSON.parse(readFileSync(new URL(`${kind}.schema.json`, schemaDirectory), "utf8")));
    validators.set(kind, validate);
  }
  return validate;
}

/**
 * Checks a spec file against its JSON Schema (the same one editors use) and reports each
 * problem at its line, one message per location, in words rather than schema paths.
 */
export function checkShape(yaml: YamlFile, kind: SpecKind, sink: ErrorSink): boolean {
  const validate = validatorFor(kind);
  if (validate(yaml.value)) return true;
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const path = pointerToPath(error.instancePath);
    const key = `${error.instancePath}|${error.keyword === "additionalProperties" ? String(error.params.additionalProperty) : ""}`;
    if (seen.has(key) || isNoise(error)) continue;
    seen.add(key);
    const { at, message, hint } = describe(error, path);
    sink.add(locate(yaml, at.path, at.part), message, hint);
  }
  return false;
}

interface Description {
  at: { path: PathSegment[]; part: "key" | "value" };
  message: string;
  hint: string | undefined;
}

function describe(error: ErrorObject, path: PathSegment[]): Description {
  const where = label(path);
  const schemaHint = (error.parentSchema as { "x-hint"?: string } | undefined)?.["x-hint"];
  const value = { path, part: "value" as const };
  switch (error.keyword) {
    case "additionalProperties": {
      const extra = String(error.params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      return {
        at: { path: [...path, extra], part: "key" },
        message: `unknown key "${extra}" in ${where}`,
        hint: didYouMean(extra, known) ?? (known.length > 0 ? `allowed keys: ${known.join(", ")}` : undefined),
      };
    }
    case "required":
      return {
        at: { path, part: path.length === 0 ? "value" : "key" },
        message: `${where} is missing required key "${String(error.params.missingProperty)}"`,
        hint: undefined,
      };
    case "type":
      return { at: value, message: `${where} must be ${article(String(error.params.type))}`, hint: schemaHint };
    case "enum":
      return {
        at: value,
        message: `${where} must be one of: ${(error.params.allowedValues as unknown[]).map(String).join(", ")}`,
        hint: typeof error.data === "string" ? didYouMean(error.data, (error.params.allowedValues as unknown[]).map(String)) : schemaHint,
      };
    case "const":
      return { at: value, message: `${where} must be ${JSON.stringify(error.params.allowedValue)}`, hint: schemaHint };
    case "pattern":
      return { at: value, message: `${where} has an invalid value ${JSON.stringify(error.data)}`, hint: schemaHint };
    case "propertyNames":
      return {
        at: { path: [...path, String(error.params.propertyName)], part: "key" },
        message: `invalid name "${String(error.params.propertyName)}" in ${where}`,
        hint: (error.schema as { "x-hint"?: string } | undefined)?.["x-hint"],
      };
    case "uniqueItems":
      return { at: value, message: `${where} lists the same value twice`, hint: "remove the duplicate" };
    default:
      return { at: value, message: `${where} ${error.message ?? "is invalid"}`, hint: schemaHint };
  }
}

/** Errors that only restate another one (propertyNames reports the name separately). */
function isNoise(error: ErrorObject): boolean {
  // "must match the then/else schema" only repeats the errors found inside that schema.
  return (error.keyword === "pattern" && error.propertyName !== undefined) || error.keyword === "if";
}

function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** `tools[2].scopes` for humans; the top level is "the file". */
export function label(path: readonly PathSegment[]): string {
  if (path.length === 0) return "the file";
  return path.reduce<string>((text, segment) => (typeof segment === "number" ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment), "");
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
