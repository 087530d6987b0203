import { pino } from "pino";
import pretty from "pino-pretty";

const options = { name: "hindcast", level: process.env.LOG_LEVEL ?? "info" };

/**
 * JSON lines where a program reads them (a pipe, a file, a log collector); on a terminal,
 * one readable line each: time, level, message, then any fields. The pretty stream writes synchronously, like pino's default
 * destination, so a process that exits right after logging loses nothing.
 */
export const logger = process.stdout.isTTY
  ? pino(options, pretty({ sync: true, singleLine: true, ignore: "pid,hostname,name", translateTime: "SYS:HH:MM:ss" }))
  : pino(options);
