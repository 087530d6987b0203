"use client";
import { type ReactNode, useEffect, useId, useRef } from "react";
import styles from "./confirm-dialog.module.css";

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  dismissLabel?: string;
  danger?: boolean;
  /** Disables the confirm button (e.g. while the form inside has errors). */
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}

/** A modal <dialog>: the confirm button has focus when it opens; Escape or the dismiss button closes it. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  dismissLabel = "Back",
  danger,
  confirmDisabled,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const titleId = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      confirm.current?.focus();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open]);
  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      className={styles.dialog}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
        <div className={styles.dialogActions}>
          <button type="button" onClick={onClose}>
            {dismissLabel}
          </button>
          <button ref={confirm} type="submit" className={danger ? "danger" : "primary"} disabled={confirmDisabled}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
