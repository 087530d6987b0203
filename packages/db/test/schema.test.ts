import { readFileSync } from "node:fs";
import path from "node:path";
import { dbTest, type ScratchDatabase } from "@hindcast/test-support";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createPrismaClient, projectRoot } from "../src/index";

const snakeCase = (s: string) => s.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
/** pg_get_*def quotes only identifiers that need it; quote the same way. */
const normalise = (s: string) => s.replace(/"(\w+)"/g, (_m, name: string) => (/[A-Z]/.test(name) ? `"${name}"` : name));

// Proves the hand-written SQL migrations build exactly the database that
// prisma/schema.prisma describes: the schema's DMMF (from Prisma's own schema
// parser) against the catalog, then a write and read of every field of every
// model through the generated client.

interface DmmfField {
  name: string;
  kind: "scalar" | "enum" | "object";
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: { name: string } | unknown;
  nativeType: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  algorithm?: string;
  fields: { name: string; sortOrder?: "asc" | "desc"; operatorClass?: string }[];
}
type Row = Record<string, unknown>;
interface ModelDelegate {
  create(args: { data: Row }): Promise<Row>;
  findUniqueOrThrow(args: { where: Row }): Promise<Row>;
}
interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: { name: string; values: { name: string }[] }[]; indexes: DmmfIndex[] };
}

const schemaText = readFileSync(path.join(projectRoot, "prisma", "schema.prisma"), "utf8");
const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", schemaText]] }))) as Dmmf;
const { models, enums, indexes } = dmmf.datamodel;
const columnsOf = (model: DmmfModel) => model.fields.filter((f) => f.kind !== "object");

function expectedSqlType(field: DmmfField): string {
  const native = field.nativeType?.[0];
  const base =
    field.kind === "enum"
      ? `"${field.type}"`
      : native === "Uuid"
        ? "uuid"
        : native === "Timestamptz"
          ? `timestamp(${field.nativeType?.[1][0] ?? 3}) with time zone`
          : native === "Date"
            ? "date"
            : (
                {
                  String: "text",
                  Int: "integer",
                  BigInt: "bigint",
                  Float: "double precision",
                  Boolean: "boolean",
                  Json: "jsonb",
                  DateTime: "timestamp(3) without time zone",
                  Bytes: "bytea",
                } as Record<string, string>
              )[field.type];
  if (!base) throw new Error(`no SQL type known for ${field.type} ${native ?? ""}`);
  return field.isList ? `${base}[]` : base;
}

const dbDefaultFunctions = new Set(["now", "autoincrement"]);
const hasDatabaseDefault = (field: DmmfField) =>
  field.hasDefaultValue &&
  !(
    typeof field.default === "object" &&
    field.default !== null &&
    "name" in field.default &&
    !dbDefaultFunctions.has((field.default as { name: string }).name)
  );

let db: ScratchDatabase;
let pool: pg.Pool;

dbTest.beforeAll(({ db: migrated, pool: migratedPool }) => {
  db = migrated;
  pool = migratedPool;
});

describe("migrated database matches schema.prisma", () => {
  it("has exactly the schema's tables", async () => {
    const { rows } = await pool.query<{ name: string }>(
      `select table_name as name from information_schema.tables where table_schema = 'public' and table_name <> '_prisma_migrations'`,
    );
    expect(rows.map((r) => r.name).sort()).toEqual(models.map((m) => m.name).sort());
  });

  it("has the schema's enums with their values in order", async () => {
    for (const e of enums) {
      const { rows } = await pool.query<{ label: string }>(
        `select e.enumlabel as label from pg_enum e join pg_type t on t.oid = e.enumtypid where t.typname = $1 order by e.enumsortorder`,
        [e.name],
      );
      expect(
        rows.map((r) => r.label),
        e.name,
      ).toEqual(e.values.map((v) => v.name));
    }
  });

  it.each(models.map((m) => [m.name, m] as const))("%s: columns, types, nullability and defaults", async (_name, model) => {
    const { rows } = await pool.query<{ name: string; type: string; notnull: boolean; hasdefault: boolean }>(
      `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull, a.atthasdef as hasdefault
         from pg_attribute a where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped`,
      [`"${model.name}"`],
    );
    const actual = new Map(rows.map((r) => [r.name, r]));
    expect([...actual.keys()].sort()).toEqual(
      columnsOf(model)
        .map((f) => f.name)
        .sort(),
    );
    for (const field of columnsOf(model)) {
      const column = actual.get(field.name);
      const where = `${model.name}.${field.name}`;
      expect(column?.type, where).toBe(expectedSqlType(field));
      if (!field.isList) expect(column?.notnull, `${where} NOT NULL`).toBe(field.isRequired);
      expect(column?.hasdefault, `${where} default`).toBe(hasDatabaseDefault(field));
    }
  });

  it("has every index of the schema and no other", async () => {
    const { rows } = await pool.query<{ table: string; unique: boolean; primary: boolean; method: string; def: string }>(
      `select t.relname as table, i.indisunique as unique, i.indisprimary as primary, am.amname as method,
              pg_get_indexdef(i.indexrelid) as def
         from pg_index i
         join pg_class t on t.oid = i.indrelid
         join pg_class ic on ic.oid = i.indexrelid
         join pg_am am on am.oid = ic.relam
         join pg_namespace n on n.oid = t.relnamespace
        where n.nspname = 'public' and t.relname <> '_prisma_migrations'`,
    );
    const describeActual = (r: (typeof rows)[number]) => {
      const columns = /\((.*)\)$/.exec(r.def)?.[1] ?? "";
      return `${r.table} ${r.primary ? "id" : r.unique ? "unique" : "normal"} ${r.method} (${columns})`;
    };
    const describeExpected = (index: DmmfIndex) => {
      const columns = index.fields
        .map((f) => `"${f.name}"${f.sortOrder === "desc" ? " DESC" : ""}${f.operatorClass ? ` ${snakeCase(f.operatorClass)}` : ""}`)
        .join(", ");
      return `${index.model} ${index.type} ${(index.algorithm ?? "btree").toLowerCase()} (${columns})`;
    };
    expect(rows.map(describeActual).map(normalise).sort()).toEqual(indexes.map(describeExpected).map(normalise).sort());
  });

  it("has every foreign key of the schema with its delete rule", async () => {
    const { rows } = await pool.query<{ def: string; table: string }>(
      `select c.conrelid::regclass::text as table, pg_get_constraintdef(c.oid) as def
         from pg_constraint c join pg_namespace n on n.oid = c.connamespace
        where c.contype = 'f' and n.nspname = 'public'`,
    );
    const rule: Record<string, string> = { Cascade: "CASCADE", SetNull: "SET NULL", Restrict: "RESTRICT", NoAction: "NO ACTION" };
    const expected = models.flatMap((m) =>
      m.fields
        .filter((f) => f.relationFromFields?.length)
        .map((f) => {
          const q = (names: string[] | undefined) => (names ?? []).map((n) => `"${n}"`).join(", ");
          const onDelete = rule[f.relationOnDelete ?? (f.isRequired ? "Restrict" : "SetNull")];
          return `"${m.name}" FOREIGN KEY (${q(f.relationFromFields)}) REFERENCES "${f.type}"(${q(f.relationToFields)}) ON UPDATE CASCADE ON DELETE ${onDelete}`;
        }),
    );
    expect(rows.map((r) => normalise(`${r.table} ${r.def}`)).sort()).toEqual(expected.map(normalise).sort());
  });
});

describe("generated client reads and writes every field of every model", () => {
  const enumFirst = new Map(enums.map((e) => [e.name, e.values[e.values.length - 1]?.name]));

  function sampleValue(model: DmmfModel, field: DmmfField, created: Map<string, Record<string, unknown>[]>): unknown {
    const relation = model.fields.find((r) => r.relationFromFields?.includes(field.name));
    if (relation) {
      const target = created.get(relation.type)?.[0];
      const toField = relation.relationToFields?.[relation.relationFromFields?.indexOf(field.name) ?? 0] ?? "id";
      return target?.[toField] ?? null;
    }
    if (field.kind === "enum") return enumFirst.get(field.type);
    const one = (): unknown => {
      switch (field.type) {
        case "String":
          return field.nativeType?.[0] === "Uuid" ? crypto.randomUUID() : `${model.name}.${field.name} ${crypto.randomUUID()}`;
        case "Int":
          // A second copy of a model gets another number: (sweepId, trialNumber) of "Run" is unique.
          return 41 + (created.get(model.name)?.length ?? 0);
        case "BigInt":
          return 9_007_199_254_740_993n;
        case "Float":
          return 0.125;
        case "Boolean":
          return true;
        case "Json":
          return { nested: [1, "two", { three: null }] };
        case "DateTime":
          return field.nativeType?.[0] === "Date" ? new Date("2021-03-04T00:00:00.000Z") : new Date("2021-03-04T05:06:07.089Z");
        case "Bytes":
          return new Uint8Array([0, 1, 254, 255]);
        default:
          throw new Error(`no sample for ${field.type}`);
      }
    };
    return field.isList ? [one(), one()] : one();
  }

  /** Models ordered so that every required relation target comes first. */
  function creationOrder(): DmmfModel[] {
    const ordered: DmmfModel[] = [];
    const visit = (model: DmmfModel, seen: Set<string>) => {
      if (ordered.includes(model) || seen.has(model.name)) return;
      seen.add(model.name);
      for (const f of model.fields) {
        const target = models.find((m) => m.name === f.type);
        if (f.relationFromFields?.length && target && target !== model) visit(target, seen);
      }
      ordered.push(model);
    };
    for (const m of models) visit(m, new Set());
    return ordered;
  }

  it("round-trips all scalar fields", async () => {
    const prisma = createPrismaClient(db.url);
    const created = new Map<string, Record<string, unknown>[]>();
    try {
      for (const model of creationOrder()) {
        const delegate = (prisma as unknown as Record<string, ModelDelegate>)[model.name.charAt(0).toLowerCase() + model.name.slice(1)];
        if (!delegate) throw new Error(`client has no delegate for ${model.name}`);
        const selfReferencing = model.fields.some((f) => f.relationFromFields?.length && f.type === model.name);
        for (let copy = 0; copy < (selfReferencing ? 2 : 1); copy++) {
          const data: Record<string, unknown> = {};
          for (const field of columnsOf(model)) {
            if (field.isUpdatedAt || (field.isId && field.default && (field.default as { name?: string }).name === "autoincrement"))
              continue;
            data[field.name] = sampleValue(model, field, created);
          }
          const row = await delegate.create({ data });
          created.set(model.name, [...(created.get(model.name) ?? []), row]);
          const idFields = columnsOf(model).filter((f) => f.isId);
          const primary = indexes.find((i) => i.model === model.name && i.type === "id");
          const where =
            idFields.length === 1
              ? { [idFields[0]?.name as string]: row[idFields[0]?.name as string] }
              : {
                  [(primary?.fields ?? []).map((f) => f.name).join("_")]: Object.fromEntries(
                    (primary?.fields ?? []).map((f) => [f.name, row[f.name]]),
                  ),
                };
          const read = await delegate.findUniqueOrThrow({ where });
          for (const [name, value] of Object.entries(data)) {
            expect(read[name], `${model.name}.${name}`).toEqual(value);
          }
          for (const field of columnsOf(model)) expect(read, `${model.name} reads ${field.name}`).toHaveProperty(field.name);
        }
      }
      expect([...created.keys()].sort()).toEqual(models.map((m) => m.name).sort());
    } finally {
      await prisma.$disconnect();
    }
  });
});
