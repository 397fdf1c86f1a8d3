import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { InvalidParamsError } from "../../../runtime/errors.ts";
import type { GeneratedPrompt } from "../../../runtime/handler-api.ts";
import { getPrompt } from "../../../runtime/mcp/get-prompt.ts";
import { promptTemplateOptions } from "../../../generator/model/build-prompts.ts";

const prompt: GeneratedPrompt = {
  definition: { name: "renewal_prep", arguments: [{ name: "account", required: true }, { name: "expansion", required: false }, { name: "days", required: false }] },
  checks: [{ name: "account", type: "string" }, { name: "expansion", type: "boolean" }, { name: "days", type: "integer" }],
  uses: [],
  messages: [{ role: "user", render: Handlebars.compile("Renewal of {{account}}.{{#if expansion}} Look for expansion.{{/if}}{{#if days}} In {{days}} days.{{/if}}", promptTemplateOptions) }],
};
const text = (args: Record<string, string>) => (getPrompt(prompt, args).messages[0]!.content as { text: string }).text;

describe("getPrompt(prompt, arguments)", () => {
  it.each<{ given: Record<string, string>; want: string }>([
    { given: { account: "Acme" }, want: "Renewal of Acme." },
    { given: { account: "Acme", expansion: "true" }, want: "Renewal of Acme. Look for expansion." },
    // Regression: boolean arguments reached templates as strings, so "false" was truthy in {{#if}}.
    { given: { account: "Acme", expansion: "false" }, want: "Renewal of Acme." },
    { given: { account: "Acme", days: "30" }, want: "Renewal of Acme. In 30 days." },
  ])("renders $given", ({ given, want }) => {
    expect(text(given)).toBe(want);
  });

  it.each<{ given: Record<string, string>; reason: string }>([
    { given: {}, reason: '"account" is required' },
    { given: { account: "Acme", expansion: "yes" }, reason: '"expansion" must be "true" or "false"' },
    { given: { account: "Acme", days: "soon" }, reason: '"days" must be a whole number' },
  ])("refuses $given: $reason", ({ given, reason }) => {
    expect(() => getPrompt(prompt, given)).toThrow(InvalidParamsError);
    expect(() => getPrompt(prompt, given)).toThrow(reason);
  });
});
