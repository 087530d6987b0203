import { pino } from "pino";

export const logger = pino({
  name: "hindcast",
  level: process.env.LOG_LEVEL ?? "info",
});
