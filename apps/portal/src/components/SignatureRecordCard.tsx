import { useMemo } from 'react';
import { Alert, Card, Descriptions, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { signatureRecordLine, type VerificationCheck } from '@spotcheck/core';
import { registryInclusionVerifier, signOffInclusionVerifier } from '@spotcheck/core/log';
import { fmtTime } from '@spotcheck/ui/format';
import { useTRPC } from '@spotcheck/ui/trpc';
import { useWitnesses } from './LogProof';
import { useI18n } from '../i18n';
import { Mono } from './common';

interface SignatureRecordView {
  of: 'draw' | 'void';
  commitmentDigest: string;
  resultDigest: string | null;
  signer: { name: string; keyId: string };
  signedAt: string;
  signature: string;
}

/** The fields of a published signature record (§9.7), or null when its content is no such record. */
export function readSignatureRecord(content: unknown): SignatureRecordView | null {
  const c = content as {
    of?: unknown;
    commitmentDigest?: unknown;
    resultDigest?: unknown;
    signature?: { signer?: { name?: unknown; keyId?: unknown }; signedAt?: unknown; signature?: unknown };
  } | null;
  const so = c?.signature;
  if (
    !c ||
    (c.of !== 'draw' && c.of !== 'void') ||
    typeof c.commitmentDigest !== 'string' ||
    (c.resultDigest !== null && typeof c.resultDigest !== 'string') ||
    typeof so?.signer?.name !== 'string' ||
    typeof so.signer.keyId !== 'string' ||
    typeof so.signedAt !== 'string' ||
    typeof so.signature !== 'string'
  )
    return null;
  return {
    of: c.of,
    commitmentDigest: c.commitmentDigest,
    resultDigest: c.resultDigest,
    signer: { name: so.signer.name, keyId: so.signer.keyId },
    signedAt: so.signedAt,
    signature: so.signature,
  };
}

/** Why a record is no valid signature, by the check line's `problem` (and `rule` for `key`). */
const FAILED = {
  record: 'sigRecord.check.record',
  requester: 'sigRecord.check.requester',
  draw: 'sigRecord.check.draw',
  proof: 'sigRecord.check.proof',
  late: 'sigRecord.check.late',
  'key.key': 'sigRecord.check.key.key',
  'key.signer': 'sigRecord.check.key.signer',
  'key.signature': 'sigRecord.check.key.signature',
  'key.window': 'sigRecord.check.key.window',
  'key.registry': 'sigRecord.check.key.registry',
  'key.bureau': 'sigRecord.check.key.bureau',
} as const;

/** The 签名核验 outcome: `valid`, `pending`, or why the record is no valid signature, with its sentence. */
function outcomeOf(line: VerificationCheck) {
  if (line.status === 'pass') return { id: 'valid', key: 'sigRecord.check.valid' } as const;
  if (line.status === 'warn') return { id: 'pending', key: 'sigRecord.check.pending' } as const;
  const { problem, rule } = line.params as { problem?: unknown; rule?: unknown };
  const id = (problem === 'key' ? `key.${String(rule)}` : String(problem)) as keyof typeof FAILED;
  return Object.hasOwn(FAILED, id) ? { id, key: FAILED[id] } : { id: 'record', key: FAILED.record };
}

/**
 * A draw's or a void's signature record (kinds `sign-off`, `void-sign-off`) in words: who signed
 * what, when they say they signed, with which key, and whether it is the official's valid signature
 * (签名核验). Anyone with the database can log a record naming an official, so the page checks it as
 * a draw's check judges its sign-off (core's `signatureRecordLine`): dated by its own first witnessed
 * checkpoint, the key valid then by the bureau's newest registry and every earlier version, each
 * proven in the log (content edited behind the log counts for nothing), and of the commitment of the
 * draw it is published under (`drawId`, the publication's `refId`: an honest record copied under
 * another draw is no signature of that draw). Its log entry is below.
 */
export function SignatureRecordCard({
  content,
  publicationId,
  bureauCode,
  drawId,
}: {
  content: unknown;
  publicationId: string;
  bureauCode: string;
  drawId: string;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const head = useQuery(trpc.transparency.registryHead.queryOptions({ bureauCode }));
  const commitment = useQuery(trpc.transparency.commitmentInclusion.queryOptions({ drawId }));
  const logged = useQuery({
    ...trpc.transparency.inclusion.queryOptions({ publicationId, checkpoint: 'first-witnessed' }),
    retry: false,
  });
  const witnesses = useWitnesses();
  const notLogged = logged.error?.data?.code === 'NOT_FOUND';
  const unavailable =
    head.isError || commitment.isError || witnesses.isError || (logged.isError && !notLogged);
  const drawCommitment = commitment.data?.commitmentDigest;
  const line = useMemo(() => {
    if (
      !head.isSuccess ||
      drawCommitment === undefined ||
      !witnesses.data ||
      !(logged.isSuccess || notLogged)
    )
      return null;
    const trusted = witnesses.data.map((w) => ({ name: w.name, label: w.label, publicKey: w.publicKey }));
    const inclusion = logged.data?.inclusion;
    return signatureRecordLine(
      content,
      {
        verifySignOffInclusion: signOffInclusionVerifier(trusted),
        verifyRegistryInclusion: registryInclusionVerifier(trusted),
        // Not in the log at all: a record written behind the log's back. In the log but in no witnessed
        // checkpoint yet: its log time will be no earlier than now.
        ...(notLogged
          ? { signOffInclusion: null }
          : inclusion
            ? { signOffInclusion: inclusion }
            : { signOffPendingAt: new Date().toISOString() }),
        ...(head.data
          ? {
              currentRegistry: head.data.registry,
              ...(head.data.inclusion ? { currentRegistryInclusion: head.data.inclusion } : {}),
              currentRegistryHistory: head.data.history,
            }
          : {}),
      },
      { commitmentDigest: drawCommitment },
    );
  }, [
    content,
    head.isSuccess,
    head.data,
    drawCommitment,
    witnesses.data,
    logged.isSuccess,
    logged.data,
    notLogged,
  ]);
  const r = readSignatureRecord(content);
  if (!r) return <Alert type="warning" showIcon message={t('sigRecord.unreadable')} />;
  return (
    <Card data-testid="signature-record">
      <Typography.Paragraph type="secondary">{t('sigRecord.intro')}</Typography.Paragraph>
      <Descriptions bordered size="small" column={1}>
        <Descriptions.Item label={t('sigRecord.of')}>{t(`sigRecord.of.${r.of}`)}</Descriptions.Item>
        <Descriptions.Item label={t('sigRecord.signer')}>{r.signer.name}</Descriptions.Item>
        <Descriptions.Item label={t('sigRecord.check')}>
          <span
            data-testid="signature-record-check"
            data-status={line ? outcomeOf(line).id : unavailable ? 'unavailable' : 'loading'}
          >
            {line === null ? (
              <Tag>{t(unavailable ? 'sigRecord.check.unavailable' : 'sigRecord.check.loading')}</Tag>
            ) : (
              <Tag
                color={line.status === 'pass' ? 'green' : line.status === 'warn' ? 'gold' : 'red'}
                style={{ whiteSpace: 'normal' }}
              >
                {t(outcomeOf(line).key, {
                  time: typeof line.params.time === 'string' ? fmtTime(line.params.time) : '',
                })}
              </Tag>
            )}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('sigRecord.signedAt')}>{fmtTime(r.signedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('sigRecord.keyId')}>
          <Mono>{r.signer.keyId}</Mono>
        </Descriptions.Item>
        <Descriptions.Item label={t('sigRecord.commitmentDigest')}>
          <Mono>{r.commitmentDigest}</Mono>
        </Descriptions.Item>
        {r.resultDigest !== null ? (
          <Descriptions.Item label={t('sigRecord.resultDigest')}>
            <Mono>{r.resultDigest}</Mono>
          </Descriptions.Item>
        ) : null}
        <Descriptions.Item label={t('sigRecord.signature')}>
          <Mono>{r.signature}</Mono>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
