/** The one error a report reader throws (io.ts re-exports it): which field, or what was expected. */
export class ReportImportError extends Error {
  override name = 'ReportImportError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
