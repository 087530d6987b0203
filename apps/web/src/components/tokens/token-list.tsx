"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { ErrorBanner } from "@/components/error-banner";
import { formatDate } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import styles from "./tokens.module.css";
import type { ApiToken } from "./types";

function state(token: ApiToken): "active" | "revoked" | "expired" {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt && token.expiresAt.getTime() <= Date.now()) return "expired";
  return "active";
}

/** API tokens (never their secrets) with revoke; `showOwner` adds the owner's email (the admin's view of all tokens). */
export function TokenList({ tokens, showOwner, testId }: { tokens: ApiToken[]; showOwner?: boolean; testId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [revoking, setRevoking] = useState<ApiToken>();
  const revoke = useMutation(
    trpc.users.revokeToken.mutationOptions({
      onSuccess: () => {
        setRevoking(undefined);
        return queryClient.invalidateQueries({ queryKey: trpc.users.tokens.pathKey() });
      },
    }),
  );

  if (tokens.length === 0) return <p className="muted">No API tokens yet.</p>;
  return (
    <>
      <ErrorBanner error={revoke.error} />
      <div className={styles.scroll}>
        <table data-testid={testId}>
          <thead>
            <tr>
              <th>Name</th>
              {showOwner && <th>User</th>}
              <th>Starts with</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Expires</th>
              <th>State</th>
              <th>
                <span className="muted">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => {
              const current = state(token);
              return (
                <tr key={token.id} className={current === "active" ? undefined : styles.revoked} data-token={token.name}>
                  <td>{token.name}</td>
                  {showOwner && <td>{token.email}</td>}
                  <td>
                    <code>{token.prefix}…</code>
                  </td>
                  <td>{formatDate(token.createdAt)}</td>
                  <td>{token.lastUsedAt ? formatDate(token.lastUsedAt) : "never"}</td>
                  <td>{token.expiresAt ? formatDate(token.expiresAt) : "never"}</td>
                  <td className={styles.state}>{current}</td>
                  <td>
                    {current !== "revoked" && (
                      <button type="button" onClick={() => setRevoking(token)} aria-label={`Revoke ${token.name}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={revoking !== undefined}
        title={`Revoke “${revoking?.name ?? ""}”?`}
        confirmLabel={revoke.isPending ? "Revoking…" : "Revoke token"}
        confirmDisabled={revoke.isPending}
        danger
        onConfirm={() => revoking && revoke.mutate({ id: revoking.id })}
        onClose={() => setRevoking(undefined)}
      >
        <p>
          Anything using the token {revoking ? <code>{revoking.prefix}…</code> : null}
          {showOwner && revoking ? ` of ${revoking.email}` : ""} stops working at once. This cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  );
}
