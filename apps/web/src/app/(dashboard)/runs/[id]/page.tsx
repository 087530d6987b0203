"use client";
import { useParams } from "next/navigation";
import { RunNotFound, RunView } from "@/components/run/run-view";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default function RunPage() {
  const { id } = useParams<{ id: string }>();
  if (!uuid.test(id)) return <RunNotFound id={id} />;
  // Keyed by id: going to another run (after Retry) starts its state afresh.
  return <RunView key={id} id={id} />;
}
