import fc from "fast-check";
import type { z } from "zod";

/*
 * fast-check arbitraries from zod 4 schemas. zod-fast-check (the usual bridge)
 * supports zod 3 only, and zocker (zod 4) makes realistic valid data with
 * faker and nothing hostile, so this small walker reads zod 4's `_zod.def`
 * instead: mostly values of the schema's shape (near its bounds), mixed with
 * hostile ones at every level.
 */

/** The parts of zod 4's internal definitions this walker reads. */
interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  shape?: Record<string, Schema>;
  element?: Schema;
  keyType?: Schema;
  valueType?: Schema;
  innerType?: Schema;
  options?: Schema[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  in?: Schema;
  out?: Schema;
}
interface CheckDef {
  check: string;
  value?: number | bigint;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
  format?: string;
  pattern?: RegExp;
}
type Schema = { _zod: { def: Def } };

/**
 * A fuzzing dictionary: ids that exist in the test database, and strings that
 * mean something for a field of that name (a dataset, a metric key, a CSV),
 * so that calls get past "not found" to the code behind it.
 */
export interface Vocabulary {
  uuids: string[];
  byField: Record<string, string[]>;
}

const controlCharacters = ["\u0000", "a\u0000b", "\u0001", "\u001b[31m", "\u007f", "\t", "\n", "\r\n", "\u0008"];
const numericStrings = ["0", "-1", "2147483648", "9223372036854775807", "9223372036854775808", "9".repeat(40), "1e400", "NaN", "0x10"];
const oddStrings = [
  "",
  " ",
  "x".repeat(10_000),
  "𝕳𝖎𝖓𝖉𝖈𝖆𝖘𝖙",
  "\ud800",
  "ü\u0301",
  '\'; DROP TABLE "Run"; --',
  "%ZZ",
  "../../etc/passwd",
  "__proto__",
  "constructor",
  "-".repeat(36),
  "00000000-0000-0000-0000-000000000000",
  "zzzzzzzz-zzzz-4zzz-8zzz-zzzzzzzzzzzz",
  "2024-13-45",
  "0000-01-01",
  "x".repeat(201),
];
const boundaryNumbers = [
  0,
  -0,
  -1,
  1,
  0.5,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  2 ** 63,
  -(2 ** 63),
  1e308,
  -1e308,
  Number.MIN_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

/** An object with an own `__proto__` key, as JSON.parse makes from a request body. */
function withOwnKey(key: string, value: unknown, base: object = {}): object {
  return Object.defineProperty({ ...base }, key, { value, enumerable: true, configurable: true, writable: true });
}

function deeplyNested(depth: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** Values of any type that no schema should trust: wrong types, extremes, control characters, prototype keys, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...controlCharacters, ...numericStrings, ...oddStrings, ...boundaryNumbers),
  fc.constantFrom<unknown>(null, undefined, true, false, [], {}, new Date(Number.NaN), new Date(-8.64e15), new Date(8.64e15)),
  fc.constantFrom<unknown>(2n ** 64n, -1n, new Map([["a", 1]]), new Set([1]), /re/g),
  fc.constantFrom<unknown>(
    withOwnKey("__proto__", { polluted: true }),
    { constructor: { prototype: { polluted: true } } },
    deeplyNested(300),
  ),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.double(),
  fc.bigInt(),
);

function checksOf(def: Def): CheckDef[] {
  return (def.checks ?? []).map((check) => check._zod.def);
}

function stringArbitrary(def: Def, vocabulary: Vocabulary, field: string): fc.Arbitrary<unknown> {
  const checks = checksOf(def);
  const minLength = checks.find((c) => c.check === "min_length")?.minimum ?? 0;
  const maxLength = checks.find((c) => c.check === "max_length")?.maximum;
  const format = checks.find((c) => c.check === "string_format");
  const near = (values: string[]) => fc.constantFrom(...values);
  if (format?.format === "uuid" || format?.format === "guid") return fc.oneof(near(vocabulary.uuids), fc.uuid(), near(oddStrings));
  if (format?.format === "email") return fc.oneof(fc.emailAddress(), near(["admin@example.com", "@", "a@b"]));
  if (format?.pattern) return fc.oneof(fc.stringMatching(format.pattern), near(numericStrings), near(controlCharacters));
  const lengths = { minLength, maxLength: Math.min(maxLength ?? 64, 64) };
  const words = vocabulary.byField[field] ?? [];
  const known = words.length ? near(words) : fc.string(lengths);
  return fc.oneof(
    { weight: 4, arbitrary: known },
    { weight: 2, arbitrary: fc.tuple(known, near(controlCharacters)).map(([word, control]) => `${word}${control}`) },
    { weight: 3, arbitrary: fc.string(lengths) },
    { weight: 1, arbitrary: fc.string({ ...lengths, unit: "grapheme" }) },
    {
      weight: 1,
      arbitrary: maxLength === undefined ? near(["x".repeat(10_000)]) : near(["x".repeat(maxLength), "x".repeat(maxLength + 1)]),
    },
  );
}

function numberArbitrary(def: Def): fc.Arbitrary<unknown> {
  const checks = checksOf(def);
  const integer = checks.some((c) => c.check === "number_format" && /int/.test(c.format ?? ""));
  const low = checks.find((c) => c.check === "greater_than");
  const high = checks.find((c) => c.check === "less_than");
  const min = low === undefined ? undefined : Number(low.value);
  const max = high === undefined ? undefined : Number(high.value);
  const edges = [min, max, min === undefined ? undefined : min - 1, max === undefined ? undefined : max + 1].filter(
    (n): n is number => n !== undefined,
  );
  const inRange = integer
    ? fc.integer({ min: Math.max(min ?? -(2 ** 31), -(2 ** 31)), max: Math.min(max ?? 2 ** 31 - 1, 2 ** 31 - 1) })
    : fc.double({ min: min ?? -1e6, max: max ?? 1e6, noNaN: true });
  return fc.oneof({ weight: 3, arbitrary: inRange }, { weight: 2, arbitrary: fc.constantFrom(...edges, ...boundaryNumbers) });
}

/** Shaped values for one schema (the value of `field`); `depth` stops recursive schemas. */
function shaped(schema: Schema, vocabulary: Vocabulary, depth: number, field: string): fc.Arbitrary<unknown> {
  const def = schema._zod.def;
  const inner = (child: Schema) => arbitraryFor(child, vocabulary, depth + 1, field);
  switch (def.type) {
    case "string":
      return stringArbitrary(def, vocabulary, field);
    case "number":
    case "int":
      return numberArbitrary(def);
    case "boolean":
      return fc.boolean();
    case "date":
      return fc.oneof(fc.date(), fc.constantFrom(new Date(-8.64e15), new Date(8.64e15), new Date(0)));
    case "bigint":
      return fc.bigInt();
    case "null":
      return fc.constant(null);
    case "undefined":
    case "void":
      return fc.constant(undefined);
    case "enum":
      return fc.constantFrom(...Object.values(def.entries ?? {}));
    case "literal":
      return fc.constantFrom(...(def.values ?? []));
    case "optional":
      return fc.option(inner(def.innerType as Schema), { nil: undefined });
    case "nullable":
      return fc.option(inner(def.innerType as Schema), { nil: null });
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return fc.option(inner(def.innerType as Schema), { nil: undefined });
    case "pipe":
      return inner(def.in as Schema);
    case "union":
      return fc.oneof(...(def.options ?? []).map(inner));
    case "array": {
      const checks = checksOf(def);
      const minLength = checks.find((c) => c.check === "min_length")?.minimum ?? 0;
      const maxLength = Math.min(checks.find((c) => c.check === "max_length")?.maximum ?? 8, 8);
      return fc.array(inner(def.element as Schema), { minLength: Math.min(minLength, maxLength), maxLength });
    }
    case "record":
      return fc.dictionary(
        stringArbitrary((def.keyType as Schema)._zod.def, vocabulary, field) as fc.Arbitrary<string>,
        inner(def.valueType as Schema),
        {
          maxKeys: 4,
        },
      );
    case "object":
      return objectArbitrary(def.shape ?? {}, vocabulary, depth);
    default:
      return hostileValue;
  }
}

function objectArbitrary(shape: Record<string, Schema>, vocabulary: Vocabulary, depth: number): fc.Arbitrary<unknown> {
  const fields = Object.fromEntries(Object.entries(shape).map(([key, child]) => [key, arbitraryFor(child, vocabulary, depth + 1, key)]));
  const record = fc.record(fields, { requiredKeys: [] });
  const extraKey = fc.constantFrom("__proto__", "constructor", "prototype", "extra", "");
  return fc.oneof(
    { weight: 6, arbitrary: record },
    {
      weight: 1,
      arbitrary: fc.tuple(record, extraKey, hostileValue).map(([value, key, extra]) => withOwnKey(key, extra, value as object)),
    },
  );
}

/** Mostly values shaped like `schema`, sometimes a hostile value in its place, at every level. */
export function arbitraryFor(schema: z.ZodType | Schema, vocabulary: Vocabulary, depth = 0, field = ""): fc.Arbitrary<unknown> {
  const own = shaped(schema as Schema, vocabulary, depth, field);
  if (depth > 6) return own;
  return fc.oneof({ weight: 9, arbitrary: own }, { weight: 1, arbitrary: hostileValue });
}
