/** The export formats' names, apart so the CLI can list them without loading an exporter. */
export const EXPORT_FORMATS = ['json', 'csv', 'md', 'trace', 'snapshot', 'onnx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Formats that describe one point (a step): they need one. */
export const POINT_FORMATS: readonly ExportFormat[] = ['trace', 'snapshot', 'onnx'];
