import type { Request, Response } from 'express';
import type { CsvCell, CsvTable } from '../cases/csvTables.ts';
import { sendText } from './encoding.ts';

// CSV answers (RFC 4180): a header row, CRLF line ends, a field quoted when it holds a comma, a
// quote or a line break (quotes doubled). A text cell that a spreadsheet would run as a formula
// (=, +, -, @, tab, CR at the start) gets a leading apostrophe (OWASP's CSV injection advice);
// numbers are written as they are.

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(table: CsvTable): string {
  return [table.columns, ...table.rows].map((row) => row.map((c) => csvCell(c)).join(',')).join('\r\n') + '\r\n';
}

/** Whether the caller asked for CSV rather than JSON (`Accept: text/csv` preferred over JSON). */
export function wantsCsv(req: Request): boolean {
  return req.accepts(['application/json', 'text/csv']) === 'text/csv';
}

/** Sends the table as a CSV download. */
export function sendCsv(req: Request, res: Response, filename: string, table: CsvTable): void {
  res.status(200);
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  sendText(req, res, csvText(table), 'text/csv; charset=utf-8');
}

/** The answer as JSON (returned, for the route runner to send), or as a CSV download when asked for. */
export function jsonOrCsv<T>(req: Request, res: Response, value: T, filename: string, table: (value: T) => CsvTable): T | undefined {
  if (!wantsCsv(req)) return value;
  sendCsv(req, res, filename, table(value));
  return undefined;
}
