import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { ROLES, type Role } from '@spotcheck/core';
import { ErrorAlert, PageTitle, StatusTag } from '../components/common';
import { useBureauScope } from '../components/Layout';
import { useI18n } from '../i18n';
import { CITY_BUREAU, holds } from '../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import type { RouterOutputs } from '../lib/types';
import { useSession } from '../session';

type Account = RouterOutputs['users']['list'][number];
interface CreateForm {
  username: string;
  displayName: string;
  password: string;
  bureauCode: string;
  roles: Role[];
  inspectorId?: string;
}

/** Accounts of the bureaus in reach: create, grant roles, disable. */
export default function AccountsPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const user = useSession();
  const bureaus = useBureaus();
  const { bureauCode } = useBureauScope();
  const list = useQuery(trpc.users.list.queryOptions({ bureauCode }));
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<CreateForm>();
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.users.pathKey() });
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: async () => (setCreating(false), form.resetFields(), refresh()),
    }),
  );
  const setStatus = useMutation(trpc.users.setStatus.mutationOptions({ onSuccess: refresh }));
  const cityAdmin = holds(user.roles, ['city-admin'], CITY_BUREAU);
  const bureauOptions = bureaus.list
    .filter((b) => cityAdmin || b.code === user.bureauCode)
    .map((b) => ({ value: b.code, label: b.name }));
  return (
    <>
      <PageTitle
        title={t('nav.accounts')}
        extra={
          <Button
            type="primary"
            onClick={() => (
              form.setFieldsValue({ bureauCode: bureauCode ?? user.bureauCode, roles: [] }),
              setCreating(true)
            )}
          >
            {t('accounts.create')}
          </Button>
        }
      />
      <Card>
        <ErrorAlert error={list.error ?? setStatus.error} />
        <Table<Account>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data ?? []}
          pagination={{ pageSize: 50 }}
          columns={[
            { title: t('accounts.username'), dataIndex: 'username' },
            { title: t('accounts.displayName'), dataIndex: 'displayName' },
            { title: t('common.bureau'), dataIndex: 'bureauCode', render: (c: string) => bureaus.name(c) },
            {
              title: t('accounts.roles'),
              dataIndex: 'roles',
              render: (rs: Account['roles']) =>
                rs.map((g) => (
                  <Tag
                    key={`${g.role}${g.bureauCode}`}
                  >{`${t(`role.${g.role}`)} · ${bureaus.name(g.bureauCode)}`}</Tag>
                )),
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (_: unknown, r) => (
                <StatusTag status={r.status} label={t(`accounts.status.${r.status}`)} />
              ),
            },
            {
              title: t('common.actions'),
              key: 'a',
              render: (_: unknown, a) =>
                a.id === user.id ? null : (
                  <Button
                    size="small"
                    danger={a.status === 'active'}
                    onClick={() =>
                      setStatus.mutate({
                        userId: a.id,
                        status: a.status === 'active' ? 'disabled' : 'active',
                      })
                    }
                  >
                    {a.status === 'active' ? t('accounts.disable') : t('accounts.enable')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      <Modal
        open={creating}
        title={t('accounts.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        confirmLoading={create.isPending}
        destroyOnHidden
      >
        <ErrorAlert error={create.error} />
        <Form<CreateForm>
          form={form}
          layout="vertical"
          onFinish={(v) =>
            create.mutate({
              ...v,
              inspectorId: v.inspectorId || null,
              roles: v.roles.map((role) => ({ role, bureauCode: v.bureauCode })),
            })
          }
        >
          <Space style={{ width: '100%' }} styles={{ item: { flex: 1 } }}>
            <Form.Item name="username" label={t('accounts.username')} rules={[{ required: true, min: 3 }]}>
              <Input />
            </Form.Item>
            <Form.Item name="displayName" label={t('accounts.displayName')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
          </Space>
          <Form.Item name="password" label={t('accounts.password')} rules={[{ required: true, min: 10 }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="bureauCode" label={t('common.bureau')} rules={[{ required: true }]}>
            <Select options={bureauOptions} />
          </Form.Item>
          <Form.Item name="roles" label={t('accounts.roles')} rules={[{ required: true }]}>
            <Select
              mode="multiple"
              options={ROLES.filter((r) => cityAdmin || r !== 'city-admin').map((r) => ({
                value: r,
                label: t(`role.${r}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="inspectorId" label={t('inspector.id')}>
            <Input placeholder="I120116-0001" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
