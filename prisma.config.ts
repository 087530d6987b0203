import { defineConfig } from "prisma/config";

// Prisma 7 reads no .env file: the URL comes from the environment (the
// project's own migrator applies migrations; see packages/db/src/migrator.ts).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
