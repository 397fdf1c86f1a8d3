import { pino, type Logger } from "pino";

/**
 * JSON logs on stdout. Secrets never reach a log line: request headers are not logged, and
 * these paths are redacted wherever they appear.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({
    level,
    base: { service: "toolgate" },
    redact: { paths: ["headers.authorization", "*.headers.authorization", "credential", "*.credential", "token", "*.token"], censor: "[redacted]" },
  });
}
