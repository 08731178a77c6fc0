import {
  CheckCircleFilled,
  CloseCircleFilled,
  ExclamationCircleFilled,
  InfoCircleFilled,
} from '@ant-design/icons';
import type { VerificationReport } from '@spotcheck/core';
import { Alert, Button, Card, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../i18n';
import { checkSentence, tally, viewChecks, type CheckLine, type CheckStatus } from '../../lib/checks';
import { runVerifyV2 } from '../../lib/runCheck';
import type { LogTrust } from '../../lib/verify';

const ICON: Record<CheckStatus, ReactNode> = {
  pass: <CheckCircleFilled style={{ color: '#16a34a' }} />,
  fail: <CloseCircleFilled style={{ color: '#dc2626' }} />,
  warn: <ExclamationCircleFilled style={{ color: '#d97706' }} />,
  info: <InfoCircleFilled style={{ color: '#2563eb' }} />,
};

/**
 * Verifies an sr-draw/v2 bundle in a Web Worker (`@spotcheck/core`) and lists every check as its
 * own line in plain words. The signer is checked against `registry`, the key registry the bureau
 * published on this portal; `registryState` says whether one was found (else "signer not checked").
 */
export function ChecksCard({
  bundle,
  registry,
  registryState,
  bureauCode,
  registrySource = 'published',
  log,
}: {
  /** The public log's witnesses (and the registry's inclusion proof): the commitment and registry times are proven with them. */
  log?: LogTrust;
  /** Where the registry came from: the portal's publications, or given beside an uploaded bundle. */
  registrySource?: 'published' | 'given';
  bundle: unknown;
  registry: unknown;
  registryState: 'loading' | 'none' | 'ok' | 'error';
  bureauCode: string;
}) {
  const { t, tv, lang } = useI18n();
  const [round, setRound] = useState(0);
  // A report counts only for the inputs it was computed from: when the bundle, the registry or a
  // rerun changes, the card shows "running" at once, never the previous input's verdict.
  const inputs = [bundle, registry, registryState, round, log];
  const [result, setResult] = useState<{ report: VerificationReport; inputs: unknown[] } | null>(null);
  const report = result && result.inputs.every((v, i) => v === inputs[i]) ? result.report : null;
  useEffect(() => {
    if (registryState === 'loading') return;
    let live = true;
    const computedFor = [bundle, registry, registryState, round, log];
    void runVerifyV2(bundle, registryState === 'ok' ? registry : undefined, log).then(
      (r) => live && setResult({ report: r, inputs: computedFor }),
    );
    return () => {
      live = false;
    };
  }, [bundle, registry, registryState, round, log]);

  const views = useMemo(
    () => (report ? viewChecks(report.checks as CheckLine[], bundle, (k) => tv(k) ?? '') : []),
    [report, bundle, tv],
  );
  const counts = tally(views);
  return (
    <Card
      title={t('v2.checks')}
      data-testid="verifier"
      extra={
        <Button size="small" onClick={() => setRound((r) => r + 1)}>
          {t('verifier.rerun')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('v2.checksIntro')}</Typography.Paragraph>
      {!report ? (
        <Alert
          data-testid="verify-bundle"
          data-status="running"
          type="info"
          message={
            <Space>
              <Spin size="small" />
              {t('v2.running')}
            </Space>
          }
        />
      ) : (
        <>
          <Alert
            data-testid="verify-bundle"
            data-status={report.ok ? 'ok' : 'bad'}
            type={report.ok ? 'success' : 'error'}
            showIcon
            message={
              <strong>
                {report.ok
                  ? `✓ ${t('v2.allOk', { n: views.length })}`
                  : `✗ ${t('v2.someBad', { bad: counts.fail, n: views.length })}`}
              </strong>
            }
            description={
              counts.warn + counts.info > 0 ? t('v2.notes', { n: counts.warn + counts.info }) : undefined
            }
          />
          <ul data-testid="check-lines" style={{ listStyle: 'none', padding: 0, margin: '12px 0 0' }}>
            {views.map((v) => (
              <li
                key={v.id}
                data-testid="check-line"
                data-check={v.id}
                data-status={v.status}
                style={{
                  display: 'flex',
                  gap: 8,
                  alignItems: 'flex-start',
                  padding: '6px 8px',
                  borderBottom: '1px solid #f0f0f0',
                  background: v.status === 'fail' ? '#fef2f2' : undefined,
                }}
              >
                <span style={{ lineHeight: '22px' }}>{ICON[v.status]}</span>
                <div style={{ minWidth: 0, flex: 1 }}>
                  <span>{checkSentence(v, tv)}</span>
                  {v.demoBeacon && v.id.endsWith('.chain') && (
                    <Tag color="orange" style={{ marginLeft: 8 }} data-testid="demo-beacon">
                      {t('v2.demoBeacon')}
                    </Tag>
                  )}
                  {v.link && (
                    <div>
                      <a href={v.link} target="_blank" rel="noreferrer" data-testid="lottery-link">
                        {t('v2.source.checkOperator')}
                      </a>
                    </div>
                  )}
                  {lang === 'en' && v.status === 'fail' && (
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-word' }}>
                        {v.message}
                      </Typography.Text>
                    </div>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        {registryState !== 'ok'
          ? t('v2.registryMissing')
          : registrySource === 'given'
            ? t('v2.registryGiven')
            : t('v2.registryFrom')}{' '}
        <Link to={`/keys?bureau=${bureauCode}`}>{t('keys.view')}</Link>
      </Typography.Paragraph>
    </Card>
  );
}
