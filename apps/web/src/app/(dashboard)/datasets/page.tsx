"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { canOperate, useCurrentUser } from "@/components/app-shell";
import { DatasetList } from "@/components/datasets/dataset-list";
import { DatasetPreview } from "@/components/datasets/dataset-preview";
import styles from "@/components/datasets/datasets.module.css";
import { UploadForm } from "@/components/datasets/upload-form";
import { ErrorBanner } from "@/components/error-banner";
import { useTRPC } from "@/lib/trpc";

export default function DatasetsPage() {
  const trpc = useTRPC();
  const user = useCurrentUser();
  const datasets = useQuery(trpc.datasets.list.queryOptions());
  const [selected, setSelected] = useState<string>();
  const list = datasets.data ?? [];
  const shown = list.find((d) => d.name === selected) ?? list[0];

  return (
    <>
      <h1>Datasets</h1>
      <ErrorBanner error={datasets.error} />
      {/* The list across the page, so every column (the date range too) shows; the upload form and the preview share a row under it. */}
      <section className={`card ${styles.panel}`} aria-labelledby="list-heading">
        <h2 id="list-heading">All datasets</h2>
        {datasets.isPending ? (
          <p className="muted">Loading…</p>
        ) : (
          <DatasetList datasets={list} selected={shown?.name} onSelect={setSelected} />
        )}
      </section>
      <div className={styles.layout}>
        <section className={`card ${styles.panel}`} aria-labelledby="upload-heading">
          <h2 id="upload-heading">Upload a CSV</h2>
          {canOperate(user) ? (
            <UploadForm datasets={list} onUploaded={setSelected} />
          ) : (
            <p className="muted">Operators and admins upload datasets; you are signed in as a viewer.</p>
          )}
        </section>
        {shown && <DatasetPreview key={shown.name} dataset={shown} />}
      </div>
    </>
  );
}
