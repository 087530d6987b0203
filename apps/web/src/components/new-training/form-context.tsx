"use client";
import { createContext, useContext } from "react";
import type { Draft } from "./draft";

export interface DraftForm {
  draft: Draft;
  /** The message to show next to the field at `path` now (validation or server), if any. */
  errorFor(path: string): string | undefined;
  set(path: string, value: unknown): void;
  /** Several changes at once (e.g. a new dataset resets its columns); `path` is what they are about. */
  update(path: string, change: (draft: Draft) => void): void;
  /** The field at `path` lost focus: from now on its errors show, once the user has changed it. */
  touch(path: string): void;
}

export const DraftFormContext = createContext<DraftForm | undefined>(undefined);

export function useDraftForm(): DraftForm {
  const form = useContext(DraftFormContext);
  if (!form) throw new Error("useDraftForm outside a new-training form");
  return form;
}

/** The id of a field's control, from its path; the error summary links to it. */
export const fieldId = (path: string) => `field-${path.replaceAll(".", "-")}`;
