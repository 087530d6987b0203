export default function Page() {
  return <h1>new</h1>;
}
