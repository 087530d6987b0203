/** The largest CSV `datasets.upload` takes, in characters; the dashboard and CLI refuse bigger files before sending them. */
export const maxUploadCsvChars = 50_000_000;

/** The one procedure whose body may be large: a CSV upload. */
export const uploadProcedure = "datasets.upload";

/**
 * Request bodies the API reads, in bytes: any call, and a CSV upload (its
 * characters, JSON-escaped, plus room for the other fields).
 */
export const bodyLimits = {
  call: 1_000_000,
  upload: Math.ceil(maxUploadCsvChars * 1.25),
} as const;

const megabytes = (bytes: number) => `${Math.round(bytes / 1_000_000)} MB`;

export const bodyTooLargeMessage = `The request body is too large: this server reads at most ${megabytes(bodyLimits.call)} per call and ${megabytes(
  bodyLimits.upload,
)} for ${uploadProcedure}; split the data into smaller requests`;
