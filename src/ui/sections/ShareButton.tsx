/** Copies the page's address — the whole configuration, the step shown and the compared pair — to share. */
import { useState } from 'react';

export function ShareButton() {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const share = async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied('idle'), 2500);
  };
  return (
    <span className="share">
      <button type="button" data-testid="share" onClick={() => void share()}>
        Copy link
      </button>
      <span role="status" aria-live="polite" data-testid="share-status" className="muted">
        {copied === 'copied' ? 'Link copied: it reopens this exact view.' : ''}
        {copied === 'failed' ? 'Copy failed: copy the address bar instead (it holds the whole view).' : ''}
      </span>
    </span>
  );
}
