import { Alert, Card, Descriptions, Typography } from 'antd';
import { fmtTime } from '@spotcheck/ui/format';
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
 * what, when they say they signed, with which key; its log entry below dates it.
 */
export function SignatureRecordCard({ content }: { content: unknown }) {
  const { t } = useI18n();
  const r = readSignatureRecord(content);
  if (!r) return <Alert type="warning" showIcon message={t('sigRecord.unreadable')} />;
  return (
    <Card data-testid="signature-record">
      <Typography.Paragraph type="secondary">{t('sigRecord.intro')}</Typography.Paragraph>
      <Descriptions bordered size="small" column={1}>
        <Descriptions.Item label={t('sigRecord.of')}>{t(`sigRecord.of.${r.of}`)}</Descriptions.Item>
        <Descriptions.Item label={t('sigRecord.signer')}>{r.signer.name}</Descriptions.Item>
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
