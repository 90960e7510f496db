/**
 * Files dropped anywhere on the page open as reports (.json, .json.gz) or PyTorch snapshots
 * (.pickle); while files are dragged over it the page shows where to drop them.
 */
import { useRef, useState, type DragEvent, type ReactNode } from 'react';

const hasFiles = (e: DragEvent) => [...e.dataTransfer.types].includes('Files');

export function DropZone({ onFiles, children }: { onFiles(files: File[]): void; children: ReactNode }) {
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);
  return (
    <div
      className="drop-target"
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current++;
        setDragging(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        depth.current = 0;
        setDragging(false);
        const files = [...e.dataTransfer.files];
        if (files.length > 0) onFiles(files);
      }}
    >
      {children}
      {dragging && (
        <div className="drop-zone" data-testid="drop-zone" aria-hidden="true">
          <p>Drop a Headroom report (.json, .json.gz) or a PyTorch memory snapshot (.pickle) to open it</p>
        </div>
      )}
    </div>
  );
}
