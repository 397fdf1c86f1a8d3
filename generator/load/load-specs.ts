import { existsSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { ErrorSink, SpecErrors } from "../errors.ts";
import { checkShape } from "./check-shape.ts";
import { readYamlFile, type YamlFile } from "./yaml-file.ts";

/** The spec files of one gateway, parsed and shape-checked. */
export interface LoadedSpecs {
  readonly root: string;
  readonly gateway: YamlFile;
  readonly toolFiles: readonly YamlFile[];
  /** `access.yaml`, the admins' policy; absent means nobody may call anything outside development mode. */
  readonly access: YamlFile | undefined;
}

/**
 * Reads `<specsDir>/gateway.yaml`, `<specsDir>/access.yaml` (when present) and every
 * `*.yaml`/`*.yml` under `<specsDir>/tools/`, in sorted order, and checks each against its JSON Schema. Paths in messages are relative to `root`.
 */
export function loadSpecs(root: string, specsDir: string): LoadedSpecs {
  const display = (path: string) => relative(root, path).split(sep).join("/");
  const gatewayPath = join(specsDir, "gateway.yaml");
  const sink = new ErrorSink();
  if (!existsSync(gatewayPath)) {
    sink.add({ file: display(gatewayPath), line: 1, col: 1 }, "gateway settings not found", "create it (see docs/spec-format.md), or pass --specs <dir>");
    sink.throwIfAny();
  }
  const files: YamlFile[] = [];
  const read = (path: string): YamlFile | undefined => {
    try {
      return readYamlFile(path, display(path));
    } catch (error) {
      if (error instanceof SpecErrors) sink.errors.push(...error.errors);
      else throw error;
      return undefined;
    }
  };
  const gateway = read(gatewayPath);
  if (gateway) checkShape(gateway, "gateway", sink);
  const accessPath = join(specsDir, "access.yaml");
  const access = existsSync(accessPath) ? read(accessPath) : undefined;
  if (access) checkShape(access, "access", sink);
  for (const path of listYamlFiles(join(specsDir, "tools"))) {
    const file = read(path);
    if (!file) continue;
    checkShape(file, "tools", sink);
    files.push(file);
  }
  sink.throwIfAny();
  return { root, gateway: gateway as YamlFile, toolFiles: files, access };
}

function listYamlFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
