/**
 * A short string matching a JSON Schema `pattern`, for the common subset of regular expressions
 * (literals, classes, groups, alternation, quantifiers, anchors): each alternation takes its first
 * branch, each quantifier its least count. Undefined when the pattern is beyond that subset or
 * the result does not match (the caller then falls back to a plain value, which validation reports).
 */
export function sampleMatching(pattern: string): string | undefined {
  let regex: RegExp;
  try {
    // Ajv compiles patterns with the `u` flag; so does this check.
    regex = new RegExp(pattern, "u");
  } catch {
    return undefined;
  }
  let text: string | undefined;
  try {
    text = new PatternSampler(pattern).run();
  } catch {
    return undefined;
  }
  return text !== undefined && regex.test(text) ? text : undefined;
}

class Unsupported extends Error {}

const escapes: Readonly<Record<string, string>> = { d: "0", D: "a", w: "a", W: "-", s: " ", S: "a", n: "\n", t: "\t", r: "\r", f: "\f", v: "\v", "0": "\0" };

class PatternSampler {
  readonly #source: string;
  #at = 0;

  constructor(source: string) {
    this.#source = source;
  }

  run(): string {
    const text = this.#alternation();
    if (this.#at < this.#source.length) throw new Unsupported("unbalanced");
    return text;
  }

  /** `a|b|c`: the first branch (the others are parsed and dropped). */
  #alternation(): string {
    const first = this.#sequence();
    while (this.#peek() === "|") {
      this.#at++;
      this.#sequence();
    }
    return first;
  }

  #sequence(): string {
    let out = "";
    while (this.#at < this.#source.length && this.#peek() !== "|" && this.#peek() !== ")") {
      const atom = this.#atom();
      const count = this.#quantifier();
      out += atom.repeat(count);
    }
    return out;
  }

  #atom(): string {
    const char = this.#source[this.#at++]!;
    switch (char) {
      case "^":
      case "$":
        return "";
      case ".":
        return "a";
      case "(":
        return this.#group();
      case "[":
        return this.#class();
      case "\\":
        return this.#escape(false);
      default:
        return char;
    }
  }

  #group(): string {
    let lookaround = false;
    if (this.#source.startsWith("?:", this.#at)) this.#at += 2;
    else if (/^\?<?[=!]/.test(this.#source.slice(this.#at, this.#at + 3))) {
      lookaround = true;
      this.#at += this.#source[this.#at + 1] === "<" ? 3 : 2;
    } else if (this.#source.startsWith("?<", this.#at)) this.#at = this.#source.indexOf(">", this.#at) + 1;
    const inner = this.#alternation();
    if (this.#source[this.#at++] !== ")") throw new Unsupported("unclosed group");
    return lookaround ? "" : inner;
  }

  #class(): string {
    const start = this.#at;
    const negated = this.#peek() === "^";
    if (negated) this.#at++;
    let first: string | undefined;
    while (this.#at < this.#source.length && (this.#peek() !== "]" || this.#at === start + (negated ? 1 : 0))) {
      const char = this.#source[this.#at++]!;
      const item = char === "\\" ? this.#escape(true) : char;
      first ??= item;
    }
    if (this.#source[this.#at++] !== "]") throw new Unsupported("unclosed class");
    if (!negated) return first ?? "";
    const body = this.#source.slice(start, this.#at - 1);
    const matches = new RegExp(`[${body}]`, "u");
    const candidate = ["a", "A", "0", "_", "-", "x", " ", "."].find((option) => matches.test(option));
    if (candidate === undefined) throw new Unsupported("negated class");
    return candidate;
  }

  #escape(inClass: boolean): string {
    const char = this.#source[this.#at++];
    if (char === undefined) throw new Unsupported("trailing backslash");
    if (char === "b" || char === "B") {
      if (inClass) return "\b";
      return "";
    }
    if (/[1-9]/.test(char) || char === "k") throw new Unsupported("backreference");
    if (char === "p" || char === "P") throw new Unsupported("unicode property");
    if (char === "u" || char === "x") {
      const braced = this.#source[this.#at] === "{";
      const match = braced ? /^\{([0-9a-fA-F]+)\}/.exec(this.#source.slice(this.#at)) : new RegExp(`^[0-9a-fA-F]{${char === "u" ? 4 : 2}}`).exec(this.#source.slice(this.#at));
      if (!match) throw new Unsupported("bad escape");
      this.#at += match[0].length;
      return String.fromCodePoint(Number.parseInt(match[1] ?? match[0], 16));
    }
    return escapes[char] ?? char;
  }

  /** The least count a quantifier allows (1 when there is none). */
  #quantifier(): number {
    const char = this.#peek();
    let count = 1;
    if (char === "?" || char === "*") {
      this.#at++;
      count = 0;
    } else if (char === "+") this.#at++;
    else if (char === "{") {
      const match = /^\{(\d+)(,\d*)?\}/.exec(this.#source.slice(this.#at));
      if (!match) return 1;
      this.#at += match[0].length;
      count = Number(match[1]);
    } else return 1;
    if (this.#peek() === "?") this.#at++;
    return count;
  }

  #peek(): string | undefined {
    return this.#source[this.#at];
  }
}
