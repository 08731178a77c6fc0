import { CheckCircleFilled, CloseCircleFilled, SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Spin, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { describeRefusal } from '@spotcheck/core';
import { useI18n } from '../i18n';
import { runCheckBundle } from '../lib/runCheck';
import { checkSignOff, type BundleCheck, type SignatureCheck, type SignOff } from '../lib/verify';
import { useTRPC } from '@spotcheck/ui/trpc';

interface ServerCheck {
  bundle: { ok: boolean; reason: string | null };
  signature: { ok: boolean; reason: string | null };
}

/**
 * Recomputes a bundle in this browser (sr-draw/v1 via @spotcheck/core, in a worker) and checks
 * the Ed25519 sign-off with WebCrypto; shows ✓ or the first mismatch. For a published draw the
 * server's `publications.verifyDraw` is offered as a second opinion, and used for the signature
 * when the browser has no Ed25519.
 */
export function Verifier({
  bundle,
  signOff,
  publicationId,
}: {
  bundle: unknown;
  signOff: SignOff | null;
  publicationId?: string;
}) {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [round, setRound] = useState(0);
  // A verdict counts only for the inputs it was computed from: when the bundle, the sign-off or a
  // rerun changes, the card shows "checking" at once, never the previous input's verdict.
  const inputs = [bundle, signOff, round];
  const current = <T,>(r: { value: T; inputs: unknown[] } | null): T | null =>
    r && r.inputs.every((v, i) => v === inputs[i]) ? r.value : null;
  const [checkResult, setCheckResult] = useState<{ value: BundleCheck; inputs: unknown[] } | null>(null);
  const [sigResult, setSigResult] = useState<{ value: SignatureCheck; inputs: unknown[] } | null>(null);
  const check = current(checkResult);
  const sig = current(sigResult);
  // The server's second opinion, asked on demand (fresh each time) or when the browser cannot
  // check Ed25519 itself; its refusal is worded in the language shown, switch and all.
  const serverCheck = useMutation({
    mutationFn: (id: string) =>
      queryClient.fetchQuery({ ...trpc.publications.verifyDraw.queryOptions({ id }), staleTime: 0 }),
  });
  const { mutate: askServerFor } = serverCheck;
  const askServer = useCallback(() => {
    if (publicationId) askServerFor(publicationId);
  }, [publicationId, askServerFor]);
  // The server's answer counts only for the publication it was asked about.
  const answer = serverCheck.variables === publicationId ? serverCheck.data : undefined;
  // This component shows v1 draws; v2 draws are checked line by line in ChecksCard.
  const server: ServerCheck | null = answer?.algorithm === 'sr-draw/v1' ? answer : null;
  const serverError =
    serverCheck.error && serverCheck.variables === publicationId
      ? describeRefusal(serverCheck.error, lang)
      : answer && answer.algorithm !== 'sr-draw/v1' && !answer.ok
        ? (answer.checks.find((c) => c.status === 'fail')?.message ?? null)
        : null;

  useEffect(() => {
    let live = true;
    const computedFor = [bundle, signOff, round];
    void runCheckBundle(bundle).then((c) => live && setCheckResult({ value: c, inputs: computedFor }));
    void checkSignOff(bundle, signOff).then((s) => {
      if (!live) return;
      setSigResult({ value: s, inputs: computedFor });
      if (s.status === 'unsupported') askServer();
    });
    return () => {
      live = false;
    };
  }, [bundle, signOff, round, askServer]);

  const sigView = () => {
    if (!sig) return null;
    switch (sig.status) {
      case 'valid':
        return (
          <Alert
            data-testid="verify-signature"
            data-status="ok"
            type="success"
            showIcon
            icon={<SafetyCertificateOutlined />}
            message={`✓ ${t('verifier.sigOk')}`}
            description={signOff ? t('verifier.signedBy', { name: signOff.signer }) : undefined}
          />
        );
      case 'invalid':
        return (
          <Alert
            data-testid="verify-signature"
            data-status="bad"
            type="error"
            showIcon
            message={`✗ ${t('verifier.sigBad')}`}
            description={sig.reason}
          />
        );
      case 'absent':
        return (
          <Alert
            data-testid="verify-signature"
            data-status="absent"
            type="warning"
            showIcon
            message={t('verifier.sigAbsent')}
          />
        );
      case 'unsupported':
        return (
          <Alert
            data-testid="verify-signature"
            data-status="unsupported"
            type="info"
            showIcon
            message={t('verifier.sigUnsupported')}
            description={sig.reason}
          />
        );
    }
  };

  return (
    <Card
      title={t('verifier.title')}
      data-testid="verifier"
      extra={
        <Button size="small" onClick={() => setRound((r) => r + 1)}>
          {t('verifier.rerun')}
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {!check ? (
          <Alert
            data-testid="verify-bundle"
            data-status="running"
            type="info"
            message={
              <Space>
                <Spin size="small" />
                {t('verifier.running')}
              </Space>
            }
          />
        ) : check.ok ? (
          <Alert
            data-testid="verify-bundle"
            data-status="ok"
            type="success"
            showIcon
            icon={<CheckCircleFilled />}
            message={<strong>✓ {t('verifier.bundleOk')}</strong>}
            description={t('verifier.summary', {
              units: check.summary.units,
              inspectors: check.summary.inspectors,
              selected: check.summary.selected,
              strata: check.summary.strata,
            })}
          />
        ) : (
          <Alert
            data-testid="verify-bundle"
            data-status="bad"
            type="error"
            showIcon
            icon={<CloseCircleFilled />}
            message={<strong>✗ {t('verifier.bundleBad')}</strong>}
            description={
              <Typography.Text code style={{ wordBreak: 'break-all' }} data-testid="verify-reason">
                {check.reason}
              </Typography.Text>
            }
          />
        )}
        {sigView()}
        <Typography.Text type="secondary">{t('verifier.localNote')}</Typography.Text>
        {publicationId && (
          <Space wrap>
            <Button onClick={askServer} loading={serverCheck.isPending} data-testid="verify-server">
              {t('verifier.serverCheck')}
            </Button>
            {server && (
              <Typography.Text data-testid="verify-server-result">
                {t('verifier.serverOk', {
                  b: server.bundle.ok
                    ? `✓ ${t('verifier.pass')}`
                    : `✗ ${t('verifier.fail')} (${server.bundle.reason})`,
                  s: server.signature.ok
                    ? `✓ ${t('verifier.pass')}`
                    : `✗ ${t('verifier.fail')} (${server.signature.reason})`,
                })}
              </Typography.Text>
            )}
            {serverError && <Typography.Text type="danger">{serverError}</Typography.Text>}
          </Space>
        )}
      </Space>
    </Card>
  );
}
