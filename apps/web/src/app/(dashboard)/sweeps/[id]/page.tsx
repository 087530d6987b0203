"use client";
import { useParams } from "next/navigation";
import { SweepView } from "@/components/sweeps/sweep-view";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default function SweepPage() {
  const { id } = useParams<{ id: string }>();
  if (!uuid.test(id)) {
    return (
      <p className="banner-error" role="alert">
        No sweep {id}: a sweep id is a UUID (the Sweeps page lists them).
      </p>
    );
  }
  return <SweepView key={id} id={id} />;
}
