export default function Page() {
  return <h1>Run</h1>;
}
