import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import type { ApiErrorReason, InputIssue } from '@spotcheck/core';
import { ErrorAlert, PageTitle } from '../components/common';
import { useI18n, type TKey } from '../i18n';
import { errorCode } from '../lib/errors';
import { fmtTime } from '@spotcheck/ui/format';
import type { RouterOutputs } from '../lib/types';
import { useTRPC } from '@spotcheck/ui/trpc';
import { Notice } from '@spotcheck/ui/notice';

type Witness = RouterOutputs['transparency']['allWitnesses'][number];

interface AddForm {
  name: string;
  label: string;
  publicKey: string;
}

/** Names of the demo witnesses `npm start` registers outside production (see the API's local witnesses). */
const isDemo = (w: { name: string }) => w.name.startsWith('demo-');

/**
 * The server's refusal in the page's language: which rule the key or name broke (the API words
 * them in English for logs and the CLI).
 */
export function witnessErrorKey(err: unknown): TKey {
  const code = errorCode(err);
  const reason = (err as { data?: { reason?: ApiErrorReason | null } } | null)?.data?.reason;
  const fields =
    reason?.code === 'input.invalid'
      ? (reason.params as { issues: InputIssue[] }).issues.map((i) => i.path)
      : [reason?.field ?? ''];
  if (reason?.code === 'witness.nameTaken') return 'witnesses.error.nameTaken';
  if (reason?.code === 'witness.keyTaken') return 'witnesses.error.keyTaken';
  if (
    reason?.code === 'witness.isLogKey' ||
    reason?.code === 'witness.isOfficialKey' ||
    reason?.code === 'witness.isBureauKey'
  )
    return 'witnesses.error.notIndependent';
  if (fields.some((f) => f.startsWith('publicKey'))) return 'witnesses.error.badKey';
  if (fields.some((f) => f.startsWith('name'))) return 'witnesses.error.badName';
  if (code === 'FORBIDDEN') return 'common.forbidden';
  return 'witnesses.error.other';
}

/**
 * The log's witnesses (city admin): who co-signs the transparency log's checkpoints. A checkpoint
 * counts only with two of them, so they must be independent of the bureaus: the server refuses the
 * log's key, any official's or user's signing key and any key used before. Registering and
 * retiring are audited and republish the witness registry the portal and `spotcheck verify` trust.
 */
export default function WitnessesPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<AddForm>();
  const list = useQuery(trpc.transparency.allWitnesses.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.transparency.pathKey() });
  const add = useMutation(
    trpc.transparency.addWitness.mutationOptions({
      onSuccess: async () => {
        message.success(t('witnesses.added'));
        setOpen(false);
        form.resetFields();
        await refresh();
      },
    }),
  );
  const retire = useMutation(
    trpc.transparency.retireWitness.mutationOptions({
      onSuccess: async () => {
        message.success(t('witnesses.retired'));
        await refresh();
      },
      onError: (e) => message.error(t(witnessErrorKey(e))),
    }),
  );
  const rows = list.data ?? [];
  const active = rows.filter((w) => !w.retiredAt).length;
  return (
    <>
      <PageTitle
        title={t('witnesses.title')}
        sub={t('witnesses.sub')}
        extra={
          <Button type="primary" data-testid="witness-add" onClick={() => setOpen(true)}>
            {t('witnesses.add')}
          </Button>
        }
      />
      {active < 2 && list.data && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="witness-too-few"
          message={t('witnesses.tooFew', { n: active })}
        />
      )}
      <Card>
        <ErrorAlert error={list.error} />
        <Table<Witness>
          rowKey="id"
          data-testid="witness-table"
          loading={list.isPending}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 860 }}
          columns={[
            {
              title: t('witnesses.name'),
              key: 'name',
              render: (_: unknown, w) => (
                <Space direction="vertical" size={0}>
                  <Typography.Text strong>{w.label}</Typography.Text>
                  <Typography.Text code>{w.name}</Typography.Text>
                </Space>
              ),
            },
            {
              title: t('witnesses.publicKey'),
              key: 'publicKey',
              render: (_: unknown, w) => (
                <Typography.Text code copyable={{ text: w.publicKey }} style={{ fontSize: 12 }}>
                  {w.publicKey.slice(0, 16)}…
                </Typography.Text>
              ),
            },
            { title: t('witnesses.addedAt'), key: 'addedAt', render: (_: unknown, w) => fmtTime(w.addedAt) },
            {
              title: t('witnesses.state'),
              key: 'state',
              render: (_: unknown, w) => (
                <Space size={4} wrap>
                  {w.retiredAt ? (
                    <Tag data-testid="witness-state">
                      {t('witnesses.state.retired', { at: fmtTime(w.retiredAt) })}
                    </Tag>
                  ) : (
                    <Tag color="green" data-testid="witness-state">
                      {t('witnesses.state.active')}
                    </Tag>
                  )}
                  {isDemo(w) && <Tag color="orange">{t('witnesses.demo')}</Tag>}
                </Space>
              ),
            },
            {
              title: '',
              key: 'retire',
              render: (_: unknown, w) =>
                w.retiredAt ? null : (
                  <Popconfirm
                    title={t('witnesses.retire.confirm', { name: w.label })}
                    onConfirm={() => retire.mutate({ name: w.name })}
                  >
                    <Button size="small" danger data-testid={`witness-retire-${w.name}`}>
                      {t('witnesses.retire')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      </Card>
      <Modal
        open={open}
        title={t('witnesses.add')}
        okText={t('witnesses.add.ok')}
        confirmLoading={add.isPending}
        onOk={() => form.submit()}
        onCancel={() => {
          setOpen(false);
          add.reset();
        }}
        okButtonProps={{ 'data-testid': 'witness-add-ok' }}
      >
        <Typography.Paragraph type="secondary">{t('witnesses.add.intro')}</Typography.Paragraph>
        {add.error && (
          <Notice type="error" data-testid="witness-add-error" title={t(witnessErrorKey(add.error))} />
        )}
        <Form<AddForm> form={form} layout="vertical" onFinish={(v) => add.mutate(v)}>
          <Form.Item
            name="label"
            label={t('witnesses.organisation')}
            rules={[
              { required: true, whitespace: true, max: 100, message: t('witnesses.organisation.rule') },
            ]}
          >
            <Input data-testid="witness-label" placeholder={t('witnesses.organisation.placeholder')} />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('witnesses.keyName')}
            extra={t('witnesses.keyName.help')}
            rules={[
              { required: true, message: t('witnesses.keyName.rule') },
              { pattern: /^[!-*,-~]{1,64}$/, message: t('witnesses.keyName.rule') },
            ]}
          >
            <Input data-testid="witness-name" placeholder="tj-supervision" />
          </Form.Item>
          <Form.Item
            name="publicKey"
            label={t('witnesses.publicKey')}
            extra={t('witnesses.publicKey.help')}
            rules={[
              { required: true, message: t('witnesses.publicKey.rule') },
              { pattern: /^[A-Za-z0-9+/]{43}=$/, message: t('witnesses.publicKey.rule') },
            ]}
          >
            <Input data-testid="witness-key" style={{ fontFamily: 'monospace' }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
