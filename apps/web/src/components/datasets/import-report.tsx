import styles from "./datasets.module.css";
import type { UploadResult } from "./types";

const listedRows = 20;

/** What an import kept and rejected: the server's summary lines, then the rejected rows and bad cells. */
export function ImportReport({ result }: { result: UploadResult }) {
  const { report, summary } = result;
  const clean = report.rejectedRowCount === 0 && report.invalidCellCount === 0 && report.ignoredColumns.length === 0;
  return (
    <div className={`${clean ? "banner-ok" : styles.warn} ${styles.report}`} role="status" data-testid="import-report">
      <strong>Imported {result.name}</strong> (date column “{report.dateColumn}”{report.sorted ? ", rows sorted by date" : ""})
      <ul>
        {summary.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {report.rejectedRowCount > 0 && (
        <details>
          <summary>Rejected rows ({report.rejectedRowCount})</summary>
          <table>
            <thead>
              <tr>
                <th className="num">Line</th>
                <th>Reason</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {report.rejectedRows.slice(0, listedRows).map((row) => (
                <tr key={`${row.line}-${row.reason}`}>
                  <td className="num">{row.line}</td>
                  <td>{row.reason}</td>
                  <td>{row.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.rejectedRowCount > listedRows && <p className="muted">and {report.rejectedRowCount - listedRows} more</p>}
        </details>
      )}
      {report.invalidCells.length > 0 && (
        <details>
          <summary>Non-numeric cells imported as missing ({report.invalidCellCount})</summary>
          <table>
            <thead>
              <tr>
                <th className="num">Line</th>
                <th>Column</th>
                <th>Value</th>
              </tr>
            </thead>
            <tbody>
              {report.invalidCells.slice(0, listedRows).map((cell) => (
                <tr key={`${cell.line}-${cell.column}`}>
                  <td className="num">{cell.line}</td>
                  <td>{cell.column}</td>
                  <td>
                    <code>{cell.value}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}
