import { useMemo } from 'react';
import { Alert, Card, Descriptions, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { checkSignatureRecord } from '@spotcheck/core';
import { fmtTime } from '@spotcheck/ui/format';
import { useTRPC } from '@spotcheck/ui/trpc';
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

/**
 * A draw's or a void's signature record (kinds `sign-off`, `void-sign-off`) in words: who signed
 * what, when they say they signed, with which key, and whether the signature is the registered
 * official's (checked here against every version of the bureau's key registry the log holds: anyone
 * with the database could log a record naming an official); its log entry below dates it.
 */
export function SignatureRecordCard({ content, bureauCode }: { content: unknown; bureauCode: string }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const head = useQuery(trpc.transparency.registryHead.queryOptions({ bureauCode }));
  const check = useMemo(
    () =>
      head.isSuccess
        ? checkSignatureRecord(content, [
            ...(head.data?.history ?? []).map((v) => v.registry),
            head.data?.registry ?? null,
          ])
        : null,
    [content, head.isSuccess, head.data],
  );
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
            data-status={check ? (check.ok ? 'valid' : check.rule) : 'loading'}
          >
            {check === null ? (
              head.isError ? (
                <Tag>{t('sigRecord.check.unavailable')}</Tag>
              ) : (
                <Tag>{t('sigRecord.check.loading')}</Tag>
              )
            ) : check.ok ? (
              <Tag color="green">{t('sigRecord.check.valid')}</Tag>
            ) : (
              <Tag color="red">{t(`sigRecord.check.${check.rule}`)}</Tag>
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
