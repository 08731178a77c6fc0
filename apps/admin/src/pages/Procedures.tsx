import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App as AntApp,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
} from 'antd';
import type { VersionStatus } from '@spotcheck/core';
import { useState } from 'react';
import { ErrorAlert, PageTitle } from '../components/common';
import { useBureauScope } from '../components/Layout';
import { useI18n } from '../i18n';
import { holds } from '../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { fmtTime } from '@spotcheck/ui/format';
import type { RouterInputs, RouterOutputs } from '../lib/types';
import { useSession } from '../session';

type Procedure = RouterOutputs['procedures']['list'][number];
type Content = RouterInputs['procedures']['saveDraft']['content'];
type ContentForm = Omit<Content, 'steps'> & { steps: string };

const TEXT_FIELDS = [
  'leadingGroup',
  'planTemplate',
  'frequency',
  'resultsUse',
  'publication',
  'leadDepartment',
  'duties',
] as const;
const STATUS_COLORS: Record<VersionStatus, string> = {
  draft: 'gold',
  published: 'green',
  retired: 'default',
};

/**
 * A content field as text. Versions saved through the form hold strings; older or seeded ones may
 * hold structures (a leading group as `{ leader, members }`), read here as their values joined.
 */
function textOf(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(textOf).filter(Boolean).join('、');
  return Object.values(v).map(textOf).filter(Boolean).join('：');
}

/** A stored content, every field read as text (steps as a list). */
function normalised(raw: unknown): Content {
  const c = (raw ?? {}) as Record<string, unknown>;
  const steps = Array.isArray(c.steps) ? c.steps.map(textOf) : textOf(c.steps) ? [textOf(c.steps)] : [];
  return {
    leadingGroup: textOf(c.leadingGroup),
    planTemplate: textOf(c.planTemplate),
    steps,
    frequency: textOf(c.frequency),
    resultsUse: textOf(c.resultsUse ?? c.useOfResults),
    publication: textOf(c.publication),
    leadDepartment: textOf(c.leadDepartment),
    duties: textOf(c.duties),
  };
}

/** The content of one version, field by field. */
function ContentView({ content }: { content: Content }) {
  const { t } = useI18n();
  return (
    <Descriptions column={1} bordered size="small" styles={{ label: { width: 160 } }}>
      <Descriptions.Item label={t('procedure.leadingGroup')}>{content.leadingGroup}</Descriptions.Item>
      <Descriptions.Item label={t('procedure.leadDepartment')}>{content.leadDepartment}</Descriptions.Item>
      <Descriptions.Item label={t('procedure.duties')}>{content.duties}</Descriptions.Item>
      <Descriptions.Item label={t('procedure.planTemplate')}>{content.planTemplate}</Descriptions.Item>
      <Descriptions.Item label={t('procedure.stepsView')}>
        <ol style={{ margin: 0, paddingLeft: 20 }}>
          {content.steps.map((s, i) => (
            <li key={i}>{s}</li>
          ))}
        </ol>
      </Descriptions.Item>
      <Descriptions.Item label={t('procedure.frequency')}>{content.frequency}</Descriptions.Item>
      <Descriptions.Item label={t('procedure.resultsUse')}>{content.resultsUse}</Descriptions.Item>
      <Descriptions.Item label={t('procedure.publication')}>{content.publication}</Descriptions.Item>
    </Descriptions>
  );
}

/**
 * The bureau's 随机抽查制度 (R6): the version in force, the draft being revised and the history.
 * Admins draft (a new version, or the open draft replaced) and publish; publishing retires the
 * version in force, puts the new one in the public column and never changes it again.
 */
export default function ProceduresPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const user = useSession();
  const bureaus = useBureaus();
  const { message } = AntApp.useApp();
  const { bureauCode: scoped } = useBureauScope();
  const bureau = scoped ?? user.bureauCode;
  const list = useQuery(trpc.procedures.list.queryOptions({ bureauCode: bureau }));
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.procedures.pathKey() });
  const save = useMutation(trpc.procedures.saveDraft.mutationOptions({ onSuccess: refresh }));
  const publish = useMutation(
    trpc.procedures.publish.mutationOptions({
      onSuccess: async () => {
        message.success(t('procedure.published'));
        await refresh();
      },
    }),
  );
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<ContentForm>();
  const admin = holds(user.roles, ['city-admin', 'district-admin'], bureau);
  const versions = (list.data ?? []).filter((p) => p.bureauCode === bureau);
  const current = versions.find((p) => p.status === 'published');
  const draft = versions.find((p) => p.status === 'draft');
  const contentOf = (p: Procedure) => normalised(p.content);

  const openEditor = () => {
    const base = draft ?? current;
    const c = base ? contentOf(base) : null;
    form.setFieldsValue(c ? { ...c, steps: c.steps.join('\n') } : {});
    save.reset();
    setEditing(true);
  };
  const submit = (v: ContentForm) =>
    save.mutate(
      {
        bureauCode: bureau,
        content: {
          ...v,
          steps: v.steps
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean),
        },
      },
      {
        onSuccess: () => {
          message.success(t('common.saved'));
          setEditing(false);
        },
      },
    );

  return (
    <>
      <PageTitle
        title={`${t('nav.procedures')} · ${bureaus.name(bureau)}`}
        sub={t('procedure.sub')}
        extra={
          admin && (
            <Button type="primary" onClick={openEditor} data-testid="procedure-draft">
              {draft ? t('procedure.editDraft') : t('procedure.draft')}
            </Button>
          )
        }
      />
      <ErrorAlert error={list.error ?? publish.error} />
      {draft && (
        <Card
          style={{ marginBottom: 16 }}
          data-testid="procedure-draft-card"
          title={
            <Space>
              {t('procedure.version', { v: draft.version })}
              <Tag color={STATUS_COLORS.draft}>{t('procedure.status.draft')}</Tag>
            </Space>
          }
          extra={
            admin && (
              <Popconfirm
                title={t('procedure.publishConfirm')}
                onConfirm={() => publish.mutate({ id: draft.id })}
                okButtonProps={{ 'data-testid': 'procedure-publish-ok' }}
              >
                <Button type="primary" loading={publish.isPending} data-testid="procedure-publish">
                  {t('procedure.publish')}
                </Button>
              </Popconfirm>
            )
          }
        >
          <ContentView content={contentOf(draft)} />
        </Card>
      )}
      <Card
        style={{ marginBottom: 16 }}
        loading={list.isPending}
        data-testid="procedure-current"
        title={
          current ? (
            <Space>
              {t('procedure.version', { v: current.version })}
              <Tag color={STATUS_COLORS.published}>{t('procedure.status.published')}</Tag>
            </Space>
          ) : (
            t('procedure.status.published')
          )
        }
      >
        {current ? <ContentView content={contentOf(current)} /> : <Empty description={t('procedure.none')} />}
      </Card>
      <Card>
        <Table<Procedure>
          rowKey="id"
          size="small"
          dataSource={versions}
          pagination={false}
          data-testid="procedure-history"
          columns={[
            {
              title: t('checklist.version'),
              dataIndex: 'version',
              width: 100,
              render: (v: number) => t('procedure.version', { v }),
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              width: 100,
              render: (s: VersionStatus) => <Tag color={STATUS_COLORS[s]}>{t(`procedure.status.${s}`)}</Tag>,
            },
            {
              title: t('procedure.leadDepartment'),
              key: 'lead',
              render: (_: unknown, p) => contentOf(p).leadDepartment,
            },
            {
              title: t('procedure.publishedAt'),
              dataIndex: 'publishedAt',
              width: 180,
              render: (v: string | null) => fmtTime(v),
            },
          ]}
        />
      </Card>
      <Modal
        open={editing}
        width={820}
        title={draft ? t('procedure.editDraft') : t('procedure.draft')}
        onCancel={() => setEditing(false)}
        onOk={() => form.submit()}
        okText={t('procedure.saveDraft')}
        okButtonProps={{ 'data-testid': 'procedure-save' }}
        confirmLoading={save.isPending}
        forceRender
      >
        <ErrorAlert error={save.error} />
        <Form<ContentForm> form={form} layout="vertical" onFinish={submit} data-testid="procedure-form">
          {TEXT_FIELDS.map((f) => (
            <Form.Item
              key={f}
              name={f}
              label={t(`procedure.${f}`)}
              rules={[{ required: true, whitespace: true, max: f === 'leadDepartment' ? 200 : 5000 }]}
            >
              {f === 'leadDepartment' ? (
                <Input data-testid={`procedure-${f}`} />
              ) : (
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid={`procedure-${f}`} />
              )}
            </Form.Item>
          ))}
          <Form.Item name="steps" label={t('procedure.steps')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} data-testid="procedure-steps" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
