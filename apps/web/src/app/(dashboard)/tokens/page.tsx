"use client";
import { useQuery } from "@tanstack/react-query";
import { useCurrentUser } from "@/components/app-shell";
import { ErrorBanner } from "@/components/error-banner";
import { CreateTokenForm } from "@/components/tokens/create-token-form";
import { TokenList } from "@/components/tokens/token-list";
import styles from "@/components/tokens/tokens.module.css";
import { UsersAdmin } from "@/components/tokens/users-admin";
import { useTRPC } from "@/lib/trpc";

export default function TokensPage() {
  const trpc = useTRPC();
  const user = useCurrentUser();
  const admin = user.role === "ADMIN";
  const mine = useQuery(trpc.users.tokens.queryOptions({ all: false }));
  const all = useQuery({ ...trpc.users.tokens.queryOptions({ all: true }), enabled: admin });
  const users = useQuery({ ...trpc.users.list.queryOptions(), enabled: admin });
  const error = mine.error ?? all.error ?? users.error;

  return (
    <>
      <h1>{admin ? "Tokens and users" : "API tokens"}</h1>
      <ErrorBanner error={error} />
      <section className={`card ${styles.panel}`} aria-labelledby="mine-heading">
        <h2 id="mine-heading">Your API tokens</h2>
        <p className="muted">
          A token acts as you ({user.role.toLowerCase()}) for the CLI and scripts: <code>hindcast login --token &lt;token&gt;</code>, or
          send <code>Authorization: Bearer &lt;token&gt;</code> with each request.
        </p>
        <CreateTokenForm users={admin ? users.data : undefined} me={user.id} />
        <h3>Existing</h3>
        {mine.data ? <TokenList tokens={mine.data} testId="my-tokens" /> : <p className="muted">Loading…</p>}
      </section>
      {admin && (
        <>
          <section className={`card ${styles.panel}`} aria-labelledby="users-heading">
            <h2 id="users-heading">Users</h2>
            {users.data ? <UsersAdmin users={users.data} me={user.id} /> : <p className="muted">Loading…</p>}
          </section>
          <section className={`card ${styles.panel}`} aria-labelledby="all-heading">
            <h2 id="all-heading">Everyone's API tokens</h2>
            {all.data ? <TokenList tokens={all.data} showOwner testId="all-tokens" /> : <p className="muted">Loading…</p>}
          </section>
        </>
      )}
    </>
  );
}
