import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ErrorAlert, PageTitle, StatusTag } from '../components/common';
import { useI18n } from '../i18n';
import { holds } from '../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { fmtTime } from '@spotcheck/ui/format';
import { browserKeys, ed25519Supported, generateBrowserKey } from '../lib/signing-key';
import { useSession } from '../session';

/**
 * Signing keys (sr-draw/v2): an official generates a key pair in this browser (the private key is
 * non-extractable and stays in IndexedDB) and submits the public key; an administrator other than
 * its owner registers it, rotating out the official's previous key, or revokes it. Every change
 * republishes the bureau's key registry.
 */
export default function KeysPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const user = useSession();
  const bureaus = useBureaus();
  const { message } = AntApp.useApp();
  const bureau = user.bureauCode;
  const list = useQuery(trpc.keys.list.queryOptions({ bureauCode: bureau }));
  const mine = useQuery({
    queryKey: ['browser-keys', user.id, bureau],
    queryFn: () => browserKeys(user.id, bureau),
  });
  const supported = useQuery({ queryKey: ['ed25519'], queryFn: ed25519Supported });
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: trpc.keys.pathKey() });
    await qc.invalidateQueries({ queryKey: ['browser-keys'] });
  };
  const propose = useMutation(trpc.keys.propose.mutationOptions({ onSuccess: refresh }));
  const register = useMutation(trpc.keys.register.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.keys.revoke.mutationOptions({ onSuccess: refresh }));
  const [generating, setGenerating] = useState(false);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const official = holds(user.roles, ['approver', 'district-admin', 'city-admin'], bureau);
  const admin = holds(user.roles, ['district-admin', 'city-admin'], bureau);
  const held = new Set((mine.data ?? []).map((k) => k.keyId));

  const generate = async () => {
    setGenerating(true);
    try {
      const key = await generateBrowserKey(user.id, bureau);
      await propose.mutateAsync({ bureauCode: bureau, publicKey: key.publicKey });
      message.success(t('keys.generated'));
    } finally {
      setGenerating(false);
      await refresh();
    }
  };

  return (
    <>
      <PageTitle title={t('keys.title')} sub={bureaus.name(bureau)} />
      <ErrorAlert error={list.error ?? propose.error ?? register.error ?? revoke.error} />
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {official && (
          <Card
            title={t('keys.mine')}
            extra={
              <Button
                type="primary"
                loading={generating}
                disabled={supported.data === false}
                onClick={() => void generate()}
                data-testid="key-generate"
              >
                {t('keys.generate')}
              </Button>
            }
          >
            {supported.data === false && <Alert type="error" showIcon title={t('keys.unsupported')} />}
            <Alert type="info" showIcon title={t('v2.sign.hint')} style={{ marginBottom: 12 }} />
            <Table
              rowKey="keyId"
              size="small"
              pagination={false}
              dataSource={(list.data ?? []).filter((k) => k.userId === user.id)}
              data-testid="keys-mine"
              columns={[
                {
                  title: t('v2.keyId'),
                  dataIndex: 'keyId',
                  render: (k: string) => <Typography.Text code>{k.slice(0, 16)}…</Typography.Text>,
                },
                {
                  title: t('common.status'),
                  dataIndex: 'status',
                  render: (_: unknown, r) => (
                    <StatusTag status={r.status} label={t(`keys.status.${r.status}`)} />
                  ),
                },
                {
                  title: t('keys.inBrowser'),
                  dataIndex: 'keyId',
                  key: 'held',
                  render: (k: string) => (held.has(k) ? <Tag color="green">✓</Tag> : '—'),
                },
                { title: t('keys.validFrom'), dataIndex: 'validFrom', render: fmtTime },
                { title: t('keys.validUntil'), dataIndex: 'validUntil', render: fmtTime },
              ]}
            />
          </Card>
        )}
        <Card title={t('keys.registry')}>
          <Table
            rowKey="keyId"
            size="small"
            pagination={false}
            loading={list.isPending}
            dataSource={list.data ?? []}
            data-testid="keys-registry"
            columns={[
              { title: t('v2.signer'), dataIndex: 'signerName' },
              {
                title: t('v2.keyId'),
                dataIndex: 'keyId',
                render: (k: string) => <Typography.Text code>{k.slice(0, 16)}…</Typography.Text>,
              },
              {
                title: t('common.status'),
                dataIndex: 'status',
                render: (_: unknown, r) => (
                  <StatusTag status={r.status} label={t(`keys.status.${r.status}`)} />
                ),
              },
              { title: t('keys.validFrom'), dataIndex: 'validFrom', render: fmtTime },
              { title: t('keys.validUntil'), dataIndex: 'validUntil', render: fmtTime },
              {
                title: '',
                key: 'actions',
                render: (_: unknown, k) =>
                  admin && (
                    <Space>
                      {k.status === 'pending' && k.userId !== user.id && (
                        <Button
                          size="small"
                          type="primary"
                          loading={register.isPending}
                          onClick={() => register.mutate({ keyId: k.keyId })}
                          data-testid={`key-register-${k.keyId.slice(0, 8)}`}
                        >
                          {t('keys.register')}
                        </Button>
                      )}
                      {(k.status === 'pending' || k.status === 'active') && (
                        <Button size="small" danger onClick={() => setRevoking(k.keyId)}>
                          {t('keys.revoke')}
                        </Button>
                      )}
                    </Space>
                  ),
              },
            ]}
          />
        </Card>
      </Space>
      <Modal
        open={!!revoking}
        title={t('keys.revoke')}
        onCancel={() => setRevoking(null)}
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2 }}
        confirmLoading={revoke.isPending}
        onOk={() =>
          revoking &&
          revoke.mutate({ keyId: revoking, reason }, { onSuccess: () => (setRevoking(null), setReason('')) })
        }
      >
        <Input.TextArea
          rows={2}
          placeholder={t('keys.revokeReason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </>
  );
}
