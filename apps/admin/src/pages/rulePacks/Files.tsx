import { CheckCircleOutlined, CloudUploadOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Col,
  Input,
  List,
  Modal,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { ErrorAlert } from '../../components/common';
import { useI18n } from '../../i18n';
import { CITY_BUREAU } from '../../lib/access';
import type { RouterOutputs } from '../../lib/types';
import { useTRPC } from '../../trpc';
import type { PackVersion } from './RulePacks';

type Issue = RouterOutputs['rulePacks']['validate']['issues'][number];

/** A pack file as text: JSON text stays as written, parsed JSON is pretty-printed. */
export function fileText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v, null, 2);
}

/** The local JSON syntax problem of a text, if any (the server's check names the rule problems). */
export function syntaxProblem(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** The pack-relative path of an issue's file (the server prefixes uploads with `upload/`). */
export function issueFile(f: string | null | undefined): string {
  return (f ?? '').replace(/^upload\//, '');
}

/** Waits `ms` after the last change of `value`. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

/**
 * A version's files. Authors edit the JSON with validation as they type (`rulePacks.validate`,
 * debounced: file, JSON path, message, suggestion), save the edit as a new draft version, publish
 * a draft, or retire a district pack.
 */
export function FilesPanel({
  version,
  canAuthor,
  onUploaded,
}: {
  version: PackVersion;
  canAuthor: boolean;
  onUploaded: (id: string) => void;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const got = useQuery(trpc.rulePacks.get.queryOptions({ id: version.id }));
  const [texts, setTexts] = useState<Record<string, string> | null>(null);
  const [path, setPath] = useState('pack.json');
  const [adding, setAdding] = useState(false);
  const [newPath, setNewPath] = useState('rules/');
  const [retiring, setRetiring] = useState(false);
  const [retireReason, setRetireReason] = useState('');
  useEffect(() => {
    if (got.data)
      setTexts(Object.fromEntries(Object.entries(got.data.files).map(([p, v]) => [p, fileText(v)])));
  }, [got.data]);
  const original = useMemo(
    () =>
      got.data ? Object.fromEntries(Object.entries(got.data.files).map(([p, v]) => [p, fileText(v)])) : {},
    [got.data],
  );
  const dirty = !!texts && JSON.stringify(texts) !== JSON.stringify(original);
  const debounced = useDebounced(texts, 500);
  const validate = useQuery({
    ...trpc.rulePacks.validate.queryOptions({ files: debounced ?? { 'pack.json': '{}' } }),
    enabled: canAuthor && !!debounced && 'pack.json' in debounced,
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.rulePacks.pathKey() });
  const upload = useMutation(
    trpc.rulePacks.upload.mutationOptions({
      onSuccess: async (row) => {
        message.success(t('rulePack.uploaded', { v: `${row.packId}@${row.version}` }));
        await refresh();
        onUploaded(row.id);
      },
    }),
  );
  const publish = useMutation(
    trpc.rulePacks.publish.mutationOptions({
      onSuccess: async () => (message.success(t('rulePack.published')), refresh()),
    }),
  );
  const retire = useMutation(
    trpc.rulePacks.retire.mutationOptions({
      onSuccess: async () => (setRetiring(false), message.success(t('rulePack.retired')), refresh()),
    }),
  );
  if (!texts) return <ErrorAlert error={got.error} />;
  const paths = Object.keys(texts).sort((a, b) =>
    a === 'pack.json' ? -1 : b === 'pack.json' ? 1 : a.localeCompare(b),
  );
  const text = texts[path] ?? '';
  const syntax = syntaxProblem(text);
  const issues = validate.data?.issues ?? [];
  const errors = issues.filter((i) => i.severity === 'error');
  const checking = validate.isFetching || debounced !== texts;
  return (
    <>
      <ErrorAlert error={got.error ?? validate.error ?? upload.error ?? publish.error ?? retire.error} />
      <Space wrap style={{ marginBottom: 12 }}>
        {canAuthor && (
          <Button
            type="primary"
            icon={<CloudUploadOutlined />}
            disabled={!dirty || checking || !validate.data?.ok}
            loading={upload.isPending}
            onClick={() => upload.mutate({ files: texts })}
            data-testid="rule-pack-upload"
          >
            {t('rulePack.saveDraft')}
          </Button>
        )}
        {canAuthor && version.status === 'draft' && !dirty && (
          <Button
            type="primary"
            loading={publish.isPending}
            onClick={() => publish.mutate({ id: version.id })}
            data-testid="rule-pack-publish"
          >
            {t('rulePack.publish')}
          </Button>
        )}
        {canAuthor && version.status === 'published' && version.bureauCode !== CITY_BUREAU && (
          <Button danger onClick={() => (setRetiring(true), setRetireReason(''))}>
            {t('rulePack.retire')}
          </Button>
        )}
        {canAuthor && dirty && <Tag color="orange">{t('rulePack.editedHint')}</Tag>}
        {!canAuthor && <Typography.Text type="secondary">{t('rulePack.readOnly')}</Typography.Text>}
      </Space>
      <Row gutter={12}>
        <Col xs={24} md={7}>
          <List
            size="small"
            bordered
            dataSource={paths}
            renderItem={(p) => {
              const n = issues.filter((i) => issueFile(i.file) === p).length;
              return (
                <List.Item
                  onClick={() => setPath(p)}
                  style={{ cursor: 'pointer', background: p === path ? '#e6f0ff' : undefined }}
                  data-testid={`rule-pack-file-${p}`}
                >
                  <Typography.Text code style={{ fontSize: 12 }}>
                    {p}
                  </Typography.Text>
                  {texts[p] !== original[p] && <Tag color="orange">*</Tag>}
                  {n > 0 && <Tag color="red">{n}</Tag>}
                </List.Item>
              );
            }}
          />
          {canAuthor && (
            <Button
              type="dashed"
              block
              icon={<PlusOutlined />}
              style={{ marginTop: 8 }}
              onClick={() => setAdding(true)}
            >
              {t('rulePack.addFile')}
            </Button>
          )}
        </Col>
        <Col xs={24} md={17}>
          <Input.TextArea
            value={text}
            readOnly={!canAuthor}
            onChange={(e) => setTexts((ts) => ({ ...ts, [path]: e.target.value }))}
            autoSize={{ minRows: 16, maxRows: 32 }}
            spellCheck={false}
            style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12 }}
            data-testid="rule-pack-editor"
          />
          {syntax && <Alert type="error" showIcon style={{ marginTop: 8 }} title={`${path}: ${syntax}`} />}
        </Col>
      </Row>
      {canAuthor && (
        <div style={{ marginTop: 16 }} data-testid="rule-pack-validation">
          {checking && !validate.data ? (
            <Typography.Text type="secondary">{t('rulePack.validating')}</Typography.Text>
          ) : validate.data?.ok && !issues.length ? (
            <Alert
              type="success"
              showIcon
              icon={<CheckCircleOutlined />}
              title={t('rulePack.valid', {
                rules: validate.data.pack?.rules ?? 0,
                cases: validate.data.pack?.cases ?? 0,
              })}
            />
          ) : (
            <>
              <Alert
                type={errors.length ? 'error' : 'warning'}
                showIcon
                style={{ marginBottom: 8 }}
                title={t('rulePack.issues', {
                  errors: errors.length,
                  warnings: issues.length - errors.length,
                })}
              />
              <Table<Issue>
                rowKey={(i, n) => `${i.file}:${i.path}:${n}`}
                size="small"
                pagination={false}
                dataSource={issues}
                onRow={(i) => ({ onClick: () => issueFile(i.file) in texts && setPath(issueFile(i.file)) })}
                columns={[
                  {
                    title: t('rulePack.severity'),
                    dataIndex: 'severity',
                    width: 80,
                    render: (s: string) => <Tag color={s === 'error' ? 'red' : 'orange'}>{s}</Tag>,
                  },
                  {
                    title: t('rulePack.file'),
                    dataIndex: 'file',
                    width: 200,
                    render: (f: string | null) => issueFile(f),
                  },
                  {
                    title: t('rulePack.jsonPath'),
                    dataIndex: 'path',
                    width: 180,
                    render: (p: string) => <Typography.Text code>{p}</Typography.Text>,
                  },
                  { title: t('rulePack.message'), dataIndex: 'message' },
                  {
                    title: t('rulePack.suggestion'),
                    dataIndex: 'suggestion',
                    render: (s: string | null) =>
                      s ? <Typography.Text type="success">{s}</Typography.Text> : '',
                  },
                ]}
              />
            </>
          )}
        </div>
      )}
      <Modal
        open={adding}
        title={t('rulePack.addFile')}
        onCancel={() => setAdding(false)}
        okButtonProps={{ disabled: !/^[\w./-]+\.json$/.test(newPath) || newPath in texts }}
        onOk={() => {
          setTexts((ts) => ({ ...ts, [newPath]: '{\n  \n}\n' }));
          setPath(newPath);
          setAdding(false);
        }}
      >
        <Input
          value={newPath}
          onChange={(e) => setNewPath(e.target.value)}
          placeholder="rules/my-rule.json"
        />
      </Modal>
      <Modal
        open={retiring}
        title={t('rulePack.retire')}
        onCancel={() => setRetiring(false)}
        okButtonProps={{ danger: true, disabled: retireReason.trim().length < 2 }}
        confirmLoading={retire.isPending}
        onOk={() => retire.mutate({ id: version.id, reason: retireReason })}
      >
        <Typography.Paragraph type="secondary">{t('rulePack.retireHint')}</Typography.Paragraph>
        <Input.TextArea rows={3} value={retireReason} onChange={(e) => setRetireReason(e.target.value)} />
      </Modal>
    </>
  );
}
