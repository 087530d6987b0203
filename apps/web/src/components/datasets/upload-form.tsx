"use client";
import { csvDateFormats } from "@hindcast/api/schemas";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ErrorBanner } from "@/components/error-banner";
import { Field } from "@/components/form-field";
import { SubmitRow } from "@/components/submit-row";
import { fieldErrors, unplacedError } from "@/lib/errors";
import { formatTenths } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { ImportReport } from "./import-report";
import type { DatasetSummary } from "./types";

const megabytes = (n: number) => `${formatTenths(n / 1_000_000)} MB`;

/** A dataset name the API accepts, suggested from a file name ("S&P 500.csv" -> "s_p_500"). */
function nameFromFile(fileName: string): string {
  const base = fileName
    .replace(/\.[^.]*$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^[^a-z]+|_+$/g, "");
  return base.slice(0, 63);
}

/** CSV upload for operators: checks the size before sending, then shows the import report. */
export function UploadForm({ datasets, onUploaded }: { datasets: DatasetSummary[]; onUploaded(name: string): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const limits = useQuery(trpc.datasets.limits.queryOptions(undefined, { staleTime: Number.POSITIVE_INFINITY }));
  const [file, setFile] = useState<File>();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [dateColumn, setDateColumn] = useState("");
  const [pivotBy, setPivotBy] = useState("");
  /** "" lets the rows settle the order of day-month-year dates. */
  const [dateFormat, setDateFormat] = useState<(typeof csvDateFormats)[number] | "">("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const upload = useMutation(
    trpc.datasets.upload.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries({ queryKey: trpc.datasets.pathKey() });
        onUploaded(result.name);
      },
      onError: (error) => setErrors(fieldErrors(error)),
    }),
  );
  const limit = limits.data?.maxUploadCsvChars;
  const tooBig = (fileName: string, size: number) =>
    limit !== undefined && size > limit ? `${fileName} is ${megabytes(size)}; the limit is ${megabytes(limit)}` : undefined;

  const chooseFile = (chosen: File | undefined) => {
    upload.reset();
    setFile(chosen);
    const sizeError = chosen && tooBig(chosen.name, chosen.size);
    setErrors(sizeError ? { csv: sizeError } : {});
    if (chosen && !name) setName(nameFromFile(chosen.name));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    upload.reset();
    const found: Record<string, string> = {};
    if (!file) found.csv = "choose a CSV file";
    if (!name.trim()) found.name = "required";
    const sizeError = file && tooBig(file.name, file.size);
    if (sizeError) found.csv = sizeError;
    setErrors(found);
    if (!file || Object.keys(found).length > 0) return;
    const csv = await file.text();
    // Bytes and characters differ for non-ASCII text; the API counts characters.
    const charsError = tooBig(file.name, csv.length);
    if (charsError) {
      setErrors({ csv: charsError });
      return;
    }
    upload.mutate({
      name: name.trim(),
      csv,
      description: description.trim() || undefined,
      dateColumn: dateColumn.trim() || undefined,
      pivotBy: pivotBy.trim() || undefined,
      dateFormat: dateFormat || undefined,
    });
  };

  const replaces = datasets.some((d) => !d.builtin && d.name === name.trim());

  return (
    <form onSubmit={submit} noValidate aria-label="Upload a CSV">
      <p className="muted">
        A header line, one date column (ISO dates, or MM/DD/YYYY or DD/MM/YYYY) and numeric columns.
        {limit !== undefined && ` Up to ${megabytes(limit)}.`}
      </p>
      <div className="form-fields">
        <Field id="upload-file" label="CSV file" error={errors.csv} hint={limit !== undefined ? `at most ${megabytes(limit)}` : undefined}>
          {(control) => (
            <input {...control} type="file" accept=".csv,text/csv,text/plain" onChange={(event) => chooseFile(event.target.files?.[0])} />
          )}
        </Field>
        <Field
          id="upload-name"
          label="Name"
          error={errors.name}
          hint={replaces ? `replaces the uploaded dataset ${name.trim()}` : "lower-case letters, digits and _"}
        >
          {(control) => <input {...control} type="text" value={name} onChange={(event) => setName(event.target.value)} />}
        </Field>
        <Field id="upload-description" label="Description" error={errors.description} hint="optional">
          {(control) => <input {...control} type="text" value={description} onChange={(event) => setDescription(event.target.value)} />}
        </Field>
        <Field id="upload-date-column" label="Date column" error={errors.dateColumn} hint="optional; found by name or content">
          {(control) => <input {...control} type="text" value={dateColumn} onChange={(event) => setDateColumn(event.target.value)} />}
        </Field>
        <Field id="upload-date-format" label="Date format" error={errors.dateFormat} hint="optional; found from the rows">
          {(control) => (
            <select
              {...control}
              value={dateFormat}
              onChange={(event) => setDateFormat(csvDateFormats.find((format) => format === event.target.value) ?? "")}
            >
              <option value="">detect</option>
              {csvDateFormats.map((format) => (
                <option key={format} value={format}>
                  {format}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="upload-pivot" label="Pivot by" error={errors.pivotBy} hint="optional; a long file's series column">
          {(control) => <input {...control} type="text" value={pivotBy} onChange={(event) => setPivotBy(event.target.value)} />}
        </Field>
      </div>
      <ErrorBanner error={unplacedError(upload.error, errors, ["name", "csv", "description", "dateColumn", "dateFormat", "pivotBy"])} />
      <SubmitRow pending={upload.isPending} busyLabel="Uploading…">
        Upload
      </SubmitRow>
      {upload.data && <ImportReport result={upload.data} />}
    </form>
  );
}
