import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App as AntApp,
  Button,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { useEffect, useState } from 'react';
import { INSPECTION_KINDS } from '@spotcheck/core';
import { ErrorAlert } from '../../components/common';
import { useI18n } from '../../i18n';
import { INDUSTRIES, industryLabel, VOCAB_SEARCH, vocabOptions } from '../../lib/labels';
import type { RouterInputs, RouterOutputs } from '../../lib/types';
import { useTRPC } from '@spotcheck/ui/trpc';

/** One checklist item as `checklist.setItems` takes it. */
export type EditableItem = RouterInputs['checklist']['setItems']['items'][number];

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

type StoredItem = RouterOutputs['checklist']['get']['items'][number];
type Kind = NonNullable<EditableItem['inspectionKinds']>[number];

/** Strips a stored or edited item down to the fields `setItems` accepts. */
export function editable(i: EditableItem | StoredItem): EditableItem {
  return {
    code: i.code,
    subject: i.subject,
    item: i.item,
    content: i.content,
    legalBasis: i.legalBasis,
    industries: i.industries ?? [],
    inspectionKinds: (i.inspectionKinds ?? []) as Kind[],
    sortOrder: i.sortOrder ?? 0,
  };
}

/**
 * Edits the items of a draft checklist version (R2: only drafts change): add, edit and remove
 * rows locally, then save the whole list with `checklist.setItems`.
 */
export function ItemsEditor({ versionId, items }: { versionId: string; items: StoredItem[] }) {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [rows, setRows] = useState<EditableItem[]>(() => items.map(editable));
  const [dirty, setDirty] = useState(false);
  const [editing, setEditing] = useState<{ index: number | null } | null>(null);
  const [form] = Form.useForm<EditableItem>();
  useEffect(() => {
    setRows(items.map(editable));
    setDirty(false);
  }, [items]);
  const save = useMutation(
    trpc.checklist.setItems.mutationOptions({
      onSuccess: async (r) => {
        message.success(t('checklist.saved', { n: r.items }));
        setDirty(false);
        await qc.invalidateQueries({ queryKey: trpc.checklist.pathKey() });
      },
    }),
  );
  const open = (index: number | null) => {
    setEditing({ index });
    form.resetFields();
    form.setFieldsValue(
      index === null
        ? { industries: [], inspectionKinds: [], sortOrder: (rows.length + 1) * 10 }
        : rows[index]!,
    );
  };
  const commit = (v: EditableItem) => {
    const item = editable({ ...v, code: v.code.trim() });
    setRows((rs) =>
      editing?.index == null ? [...rs, item] : rs.map((r, i) => (i === editing.index ? item : r)),
    );
    setDirty(true);
    setEditing(null);
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Button icon={<PlusOutlined />} onClick={() => open(null)} data-testid="checklist-item-add">
          {t('checklist.addItem')}
        </Button>
        <Button
          type="primary"
          disabled={!dirty}
          loading={save.isPending}
          onClick={() => save.mutate({ versionId, items: rows })}
          data-testid="checklist-items-save"
        >
          {t('checklist.saveItems')}
        </Button>
        {dirty && <Tag color="orange">{t('checklist.unsaved')}</Tag>}
      </Space>
      <ErrorAlert error={save.error} />
      <Table<EditableItem>
        rowKey="code"
        size="small"
        dataSource={rows}
        pagination={{ pageSize: 30 }}
        data-testid="checklist-items"
        columns={[
          { title: t('checklist.code'), dataIndex: 'code', width: 120 },
          { title: t('checklist.subject'), dataIndex: 'subject', width: 140 },
          { title: t('checklist.item'), dataIndex: 'item' },
          { title: t('checklist.content'), dataIndex: 'content' },
          { title: t('checklist.legalBasis'), dataIndex: 'legalBasis' },
          {
            title: t('checklist.industries'),
            dataIndex: 'industries',
            render: (xs: string[] = []) =>
              xs.length ? xs.map((x) => <Tag key={x}>{industryLabel(x, lang)}</Tag>) : t('common.all'),
          },
          {
            title: t('common.actions'),
            key: 'a',
            width: 100,
            render: (_: unknown, r, i) => (
              <Space>
                <Button
                  size="small"
                  icon={<EditOutlined />}
                  onClick={() => open(i)}
                  aria-label={t('common.edit')}
                />
                <Popconfirm
                  title={t('checklist.removeItem', { code: r.code })}
                  onConfirm={() => (setRows((rs) => rs.filter((_, j) => j !== i)), setDirty(true))}
                >
                  <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.remove')} />
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!editing}
        width={760}
        title={editing?.index == null ? t('checklist.addItem') : t('common.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form<EditableItem> form={form} layout="vertical" onFinish={commit}>
          <Space align="start" wrap>
            <Form.Item
              name="code"
              label={t('checklist.code')}
              rules={[
                { required: true },
                { pattern: CODE, message: t('checklist.codeRule') },
                {
                  validator: async (_, v: string) => {
                    if (rows.some((r, i) => r.code === v?.trim() && i !== editing?.index))
                      throw new Error(t('checklist.codeTaken'));
                  },
                },
              ]}
            >
              <Input style={{ width: 200 }} data-testid="checklist-form-code" />
            </Form.Item>
            <Form.Item name="subject" label={t('checklist.subject')} rules={[{ required: true, max: 200 }]}>
              <Input style={{ width: 260 }} data-testid="checklist-form-subject" />
            </Form.Item>
            <Form.Item name="sortOrder" label={t('checklist.sortOrder')}>
              <InputNumber min={0} max={100000} />
            </Form.Item>
          </Space>
          <Form.Item name="item" label={t('checklist.item')} rules={[{ required: true, max: 300 }]}>
            <Input data-testid="checklist-form-item" />
          </Form.Item>
          <Form.Item name="content" label={t('checklist.content')} rules={[{ required: true, max: 2000 }]}>
            <Input.TextArea rows={3} data-testid="checklist-form-content" />
          </Form.Item>
          <Form.Item
            name="legalBasis"
            label={t('checklist.legalBasis')}
            rules={[{ required: true, max: 2000 }]}
          >
            <Input.TextArea rows={2} data-testid="checklist-form-legal" />
          </Form.Item>
          <Form.Item
            name="industries"
            label={t('checklist.industries')}
            extra={t('checklist.industriesHint')}
          >
            <Select mode="multiple" options={vocabOptions(INDUSTRIES, lang)} showSearch={VOCAB_SEARCH} />
          </Form.Item>
          <Form.Item name="inspectionKinds" label={t('checklist.kinds')}>
            <Select
              mode="multiple"
              options={INSPECTION_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
