import { CopyOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { ErrorAlert, PageTitle } from '../components/common';
import { useBureauScope } from '../components/Layout';
import { useI18n } from '../i18n';
import { CITY_BUREAU, holds } from '../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { fmtTime } from '@spotcheck/ui/format';
import type { RouterInputs, RouterOutputs } from '../lib/types';
import { useSession } from '../session';

type Token = RouterOutputs['apiTokens']['list'][number];
type Scope = RouterInputs['apiTokens']['create']['scopes'][number];
/** Scopes a token may hold (the API's `API_TOKEN_SCOPES`). */
const SCOPES: Scope[] = ['credit:read', 'facts:write', 'publications:read'];

/**
 * API tokens for other systems (R22): issue one with its scopes (the secret is shown once and
 * never again: only its hash is stored), list and revoke. City and district administrators only.
 */
export default function ApiTokensPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const user = useSession();
  const bureaus = useBureaus();
  const { message } = AntApp.useApp();
  const { bureauCode } = useBureauScope();
  const list = useQuery(trpc.apiTokens.list.queryOptions({ bureauCode }));
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.apiTokens.pathKey() });
  const create = useMutation(trpc.apiTokens.create.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.apiTokens.revoke.mutationOptions({ onSuccess: refresh }));
  const [issuing, setIssuing] = useState(false);
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const [form] = Form.useForm<{ name: string; bureauCode: string; scopes: Scope[] }>();
  // Bureaus the user may issue for: their own, or every bureau for a city administrator.
  const issuable = bureaus.list.filter(
    (b) =>
      holds(user.roles, ['city-admin', 'district-admin'], b.code) &&
      (b.code === user.bureauCode ||
        user.roles.some((g) => g.role === 'city-admin' && g.bureauCode === CITY_BUREAU)),
  );
  const scopeLabel = (s: Scope) => t(`token.scope.${s}`);

  return (
    <>
      <PageTitle
        title={t('nav.apiTokens')}
        sub={t('token.sub')}
        extra={
          <Button
            type="primary"
            onClick={() => {
              form.setFieldsValue({
                bureauCode: bureauCode ?? user.bureauCode,
                scopes: ['credit:read'],
                name: '',
              });
              create.reset();
              setIssuing(true);
            }}
            data-testid="token-create"
          >
            {t('token.create')}
          </Button>
        }
      />
      <Card>
        <ErrorAlert error={list.error ?? revoke.error} />
        <Table<Token>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data ?? []}
          pagination={false}
          data-testid="tokens-table"
          columns={[
            { title: t('token.name'), dataIndex: 'name' },
            {
              title: t('common.bureau'),
              dataIndex: 'bureauCode',
              width: 180,
              render: (c: string) => bureaus.name(c),
            },
            {
              title: t('token.scopes'),
              dataIndex: 'scopes',
              render: (s: Scope[]) => s.map((x) => <Tag key={x}>{scopeLabel(x)}</Tag>),
            },
            {
              title: t('common.created'),
              dataIndex: 'createdAt',
              width: 170,
              render: (v: string) => fmtTime(v),
            },
            {
              title: t('common.status'),
              key: 'status',
              width: 200,
              render: (_: unknown, r) =>
                r.revokedAt ? (
                  <span>
                    <Tag>{t('token.status.revoked')}</Tag>
                    {fmtTime(r.revokedAt)}
                  </span>
                ) : (
                  <Tag color="green">{t('token.status.active')}</Tag>
                ),
            },
            {
              title: t('common.actions'),
              key: 'a',
              width: 100,
              render: (_: unknown, r) =>
                !r.revokedAt && (
                  <Popconfirm
                    title={t('token.revokeConfirm')}
                    onConfirm={() => revoke.mutate({ id: r.id })}
                    okButtonProps={{ 'data-testid': 'token-revoke-ok' }}
                  >
                    <Button size="small" danger data-testid={`token-revoke-${r.name}`}>
                      {t('token.revoke')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      </Card>
      <Modal
        open={issuing}
        title={t('token.create')}
        onCancel={() => setIssuing(false)}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': 'token-create-ok' }}
        confirmLoading={create.isPending}
        forceRender
      >
        <ErrorAlert error={create.error} />
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) =>
            create.mutate(v, {
              onSuccess: (r) => {
                setIssuing(false);
                setSecret({ name: r.name, token: r.token });
              },
            })
          }
        >
          <Form.Item
            name="name"
            label={t('token.name')}
            rules={[{ required: true, whitespace: true, min: 2, max: 100 }]}
          >
            <Input data-testid="token-name" />
          </Form.Item>
          <Form.Item name="bureauCode" label={t('common.bureau')} rules={[{ required: true }]}>
            <Select options={issuable.map((b) => ({ value: b.code, label: b.name }))} />
          </Form.Item>
          <Form.Item
            name="scopes"
            label={t('token.scopes')}
            rules={[{ required: true, type: 'array', min: 1 }]}
          >
            <Checkbox.Group
              style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
              options={SCOPES.map((s) => ({ value: s, label: scopeLabel(s) }))}
              data-testid="token-scopes"
            />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!secret}
        title={`${t('token.secretTitle')} · ${secret?.name ?? ''}`}
        onCancel={() => setSecret(null)}
        footer={
          <Button type="primary" onClick={() => setSecret(null)} data-testid="token-secret-close">
            {t('common.close')}
          </Button>
        }
        maskClosable={false}
      >
        <Alert type="warning" showIcon title={t('token.secretOnce')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph
          code
          copyable={{
            text: secret?.token ?? '',
            icon: [<CopyOutlined key="c" />, <CopyOutlined key="d" />],
            tooltips: [t('token.copy'), t('token.copied')],
            onCopy: () => {
              message.success(t('token.copied'));
            },
          }}
          style={{ wordBreak: 'break-all' }}
          data-testid="token-secret"
        >
          {secret?.token}
        </Typography.Paragraph>
      </Modal>
    </>
  );
}
