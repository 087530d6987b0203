export default function Page() {
  return <h1>workers</h1>;
}
