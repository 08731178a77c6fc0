import { Card, Descriptions, Tag } from 'antd';
import { useI18n } from '../i18n';
import { fmtTime } from '../lib/format';
import { readVoid, type PublicationHeader } from '../lib/publications';
import { Loaded, Mono, usePublication } from './common';

/** A published void (B2): reason, who asked, who approved (a second person), the digests. */
export function VoidCard({ header }: { header: PublicationHeader }) {
  const { t } = useI18n();
  const q = usePublication(header.id);
  return (
    <Card
      size="small"
      title={header.title}
      data-testid="void-card"
      extra={<Tag color="red">{t('draws.voided')}</Tag>}
      style={{ marginBottom: 12 }}
    >
      <Loaded query={q}>
        {(p) => {
          const v = readVoid(p.content);
          return (
            <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
              <Descriptions.Item label={t('void.reason')} span={2}>
                <span data-testid="void-reason">{v.reason}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('void.requestedBy')}>
                {v.requestedBy} · {fmtTime(v.requestedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('void.approvedBy')}>
                {v.approvedBy} · {fmtTime(v.approvedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('commitment.digest')} span={2}>
                <Mono>{v.commitmentDigest}</Mono>
              </Descriptions.Item>
              {v.resultDigest && (
                <Descriptions.Item label={t('void.resultDigest')} span={2}>
                  <Mono>{v.resultDigest}</Mono>
                </Descriptions.Item>
              )}
            </Descriptions>
          );
        }}
      </Loaded>
    </Card>
  );
}
