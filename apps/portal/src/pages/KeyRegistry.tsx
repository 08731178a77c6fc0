import { Alert, Card, Empty, Space, Spin, Table, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { useBureau } from '../bureau';
import { useBureaus } from '@spotcheck/ui/trpc';
import { DownloadButton, Mono, Page } from '../components/common';
import { usePublishedRegistry } from '../components/v2/registry';
import { useI18n } from '../i18n';
import { fmtTime } from '@spotcheck/ui/format';
import { prettyJson } from '../lib/publications';
import { keyState, type KeyState, type RegistryKey } from '../lib/v2';

const STATE_COLOR: Record<KeyState, string> = {
  valid: 'success',
  pending: 'processing',
  expired: 'default',
  revoked: 'error',
};

/** 签名密钥登记: the bureau's published Ed25519 keys, who holds each, and when it is valid. */
export default function KeyRegistry() {
  const { t } = useI18n();
  const picked = useBureau().code;
  const [params] = useSearchParams();
  const asked = params.get('bureau');
  const code = asked && /^\d{6}$/.test(asked) ? asked : picked;
  const bureaus = useBureaus();
  const reg = usePublishedRegistry(code);
  const now = new Date();
  return (
    <Page
      title={`${t('keys.title')} · ${bureaus.name(code)}`}
      intro={t('keys.intro')}
      extra={
        reg.document && (
          <DownloadButton
            filename={`keys-${code}.json`}
            json={prettyJson(reg.document)}
            label={t('keys.download')}
            testId="keys-download"
          />
        )
      }
    >
      {reg.state === 'loading' ? (
        <Spin style={{ display: 'block', margin: '48px auto' }} />
      ) : reg.state === 'error' ? (
        <Alert type="error" showIcon message={t('common.error')} />
      ) : !reg.registry ? (
        <Empty description={t('keys.none')} />
      ) : (
        <Card>
          <Table<RegistryKey>
            data-testid="keys-table"
            rowKey="keyId"
            size="middle"
            dataSource={reg.registry.keys}
            pagination={false}
            scroll={{ x: 720 }}
            columns={[
              {
                title: t('keys.signer'),
                width: 160,
                render: (_, k) => k.signer.name,
              },
              {
                title: t('keys.state'),
                width: 110,
                render: (_, k) => {
                  const s = keyState(k, now);
                  return (
                    <Space direction="vertical" size={0}>
                      <Tag color={STATE_COLOR[s]} data-testid="key-state" data-state={s}>
                        {t(`keys.state.${s}`)}
                      </Tag>
                      {k.revokedAt && (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t('keys.revokedAt', { at: fmtTime(k.revokedAt) })}
                        </Typography.Text>
                      )}
                    </Space>
                  );
                },
              },
              { title: t('keys.validFrom'), width: 150, render: (_, k) => fmtTime(k.validFrom) },
              {
                title: t('keys.validUntil'),
                width: 150,
                render: (_, k) => (k.validUntil ? fmtTime(k.validUntil) : t('keys.open')),
              },
              {
                title: t('keys.keyId'),
                render: (_, k) => (
                  <>
                    <Mono>{k.keyId}</Mono>
                    <div style={{ marginTop: 4 }}>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('keys.publicKey')}
                      </Typography.Text>{' '}
                      <Mono>{k.publicKey}</Mono>
                    </div>
                  </>
                ),
              },
            ]}
          />
        </Card>
      )}
      {reg.history.length > 1 && (
        <Card title={t('keys.history')} style={{ marginTop: 16 }} size="small">
          {reg.history.map((h) => (
            <div key={h.id}>
              <Link to={`/publication/${h.id}`}>{h.title}</Link>{' '}
              <Typography.Text type="secondary">{fmtTime(h.publishedAt)}</Typography.Text>
            </div>
          ))}
        </Card>
      )}
    </Page>
  );
}
