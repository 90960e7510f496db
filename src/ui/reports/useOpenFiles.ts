/** Opens picked or dropped files into the store: reports become the measured points, snapshots go beside the plan. */
import { useCallback, useState } from 'react';
import { useAppState } from '../StoreContext';
import { kindOf, readReportFile, readSnapshotFile } from './files';

export interface FileOpener {
  open(files: readonly File[]): Promise<void>;
  /** The last file's problem, as text (shown next to the pickers). */
  error: string | null;
  busy: boolean;
}

export function useOpenFiles(): FileOpener {
  const openReport = useAppState((s) => s.openReport);
  const setTorchSnapshot = useAppState((s) => s.setTorchSnapshot);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = useCallback(
    async (files: readonly File[]) => {
      setError(null);
      setBusy(true);
      const problems: string[] = [];
      for (const file of files) {
        try {
          if (kindOf(file.name) === 'torch') {
            const { name, value } = await readSnapshotFile(file);
            setTorchSnapshot({ name, summary: value });
          } else {
            const { name, value } = await readReportFile(file);
            if (openReport(name, value) === null)
              problems.push(`${name} was not opened: wait for the measuring run to end (or cancel it)`);
          }
        } catch (err) {
          problems.push(err instanceof Error ? err.message : String(err));
        }
      }
      setBusy(false);
      setError(problems.length > 0 ? problems.join('\n') : null);
    },
    [openReport, setTorchSnapshot],
  );
  return { open, error, busy };
}
