import { Alert } from 'antd';
import { checkTitle } from '@spotcheck/ui/checks';
import { useI18n } from '../../i18n';
import type { RouterOutputs } from '../../lib/types';

type Verification = RouterOutputs['draws']['verify'];

const MARK = { pass: '✓', fail: '✗', warn: '!', info: '·' } as const;

/**
 * The report of `draws.verify` on the plan page: one line per check, named in the reader's
 * language (never by its id), with the status word of a line that did not pass; a failure names
 * the checks that failed. Core's own English sentence
 * of a line that did not pass is shown on English pages only, and so is a v1 bundle's reason.
 */
export function VerifyReport({ report }: { report: Verification }) {
  const { t, tv, lang } = useI18n();
  const detail = (message: string | null | undefined) => (lang === 'en' && message ? ` — ${message}` : '');
  let failed: string[];
  if (report.algorithm === 'sr-draw/v1') {
    failed = [
      ...(report.bundle.ok ? [] : [t('draw.verify.v1Bundle') + detail(report.bundle.reason)]),
      ...(report.signature.ok ? [] : [t('draw.verify.v1Signature') + detail(report.signature.reason)]),
    ];
  } else {
    failed = report.checks.filter((c) => c.status === 'fail').map((c) => checkTitle(c.id, tv));
  }
  return (
    <Alert
      style={{ marginBottom: 16 }}
      showIcon
      type={report.ok ? 'success' : 'warning'}
      title={
        report.ok
          ? t('draw.verifyOk')
          : t('draw.verifyFailed', { checks: failed.join(lang === 'zh' ? '；' : '; ') })
      }
      description={
        report.checks.length > 0 && (
          <ul style={{ margin: 0, padding: 0, listStyle: 'none' }} data-testid="draw-verify-checks">
            {report.checks.map((c) => (
              <li key={c.id} data-status={c.status}>
                {MARK[c.status]}{' '}
                {c.status === 'pass'
                  ? checkTitle(c.id, tv)
                  : t('check.line', { title: checkTitle(c.id, tv), status: t(`check.status.${c.status}`) }) +
                    detail(c.message)}
              </li>
            ))}
          </ul>
        )
      }
      data-testid="draw-verify-result"
    />
  );
}
