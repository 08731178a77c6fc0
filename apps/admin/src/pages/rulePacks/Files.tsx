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
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorAlert } from '../../components/common';
import { useI18n } from '../../i18n';
import { CITY_BUREAU } from '../../lib/access';
import type { RouterOutputs } from '../../lib/types';
import { useTRPC } from '@spotcheck/ui/trpc';
import type { PackVersion } from './RulePacks';
import { hintText, issueText, locationZh, vocabularyOf } from './issueText';
import { ReviewBar } from './Review';
import { fmtTime } from '@spotcheck/ui/format';

// The visual editor loads only when a rule file is opened (bundle size).
const RuleEditor = lazy(() => import('./RuleEditor'));
const CasesEditor = lazy(() => import('./CasesEditor'));

/** The rule names of a pack's files (`rules/*.json`), for the rules a case expects to fire. */
function ruleNamesOf(texts: Record<string, string>): string[] {
  const names: string[] = [];
  for (const [p, text] of Object.entries(texts)) {
    if (!p.startsWith('rules/')) continue;
    try {
      const name = (JSON.parse(text) as { name?: unknown }).name;
      if (typeof name === 'string') names.push(name);
    } catch {
      // A file that does not parse is reported by the validation.
    }
  }
  return names.sort();
}

/** A new rule file's content: a condition to start from and an event to fill in. */
function ruleTemplate(name: string): string {
  return `${JSON.stringify(
    {
      name,
      priority: 50,
      meta: { description: '新规则', source: '津应急执〔2018〕1号 (五)' },
      conditions: { all: [{ fact: 'riskGrade', operator: 'equal', value: 'major' }] },
      event: { type: 'classify', params: { stratum: name } },
    },
    null,
    2,
  )}\n`;
}

/** Facts the rules of `texts` read (leaf `fact` names, anywhere in the condition trees). */
function factsRead(texts: Record<string, string>): string[] {
  const out = new Set<string>();
  const walk = (c: unknown) => {
    if (typeof c !== 'object' || c === null) return;
    const o = c as Record<string, unknown>;
    if (typeof o.fact === 'string') out.add(o.fact);
    for (const k of ['all', 'any']) if (Array.isArray(o[k])) (o[k] as unknown[]).forEach(walk);
    if (o.not) walk(o.not);
  };
  for (const [p, text] of Object.entries(texts)) {
    if (!p.startsWith('rules/')) continue;
    try {
      walk((JSON.parse(text) as { conditions?: unknown }).conditions);
    } catch {
      // syntax errors show on the file
    }
  }
  return [...out];
}

/** `pack.json` text with every fact the rules read listed in "facts" (authors never re-declare by hand). */
function withFactsDeclared(texts: Record<string, string>): Record<string, string> {
  try {
    const m = JSON.parse(texts['pack.json'] ?? '') as { facts?: string[] };
    const read = factsRead(texts);
    const have = m.facts ?? [];
    // Facts the rules read, in the manifest's order, then new ones; a fact the visual editor
    // stopped using (a condition switched to another fact) leaves the list with it.
    const facts = [...have.filter((f) => read.includes(f)), ...read.filter((f) => !have.includes(f))];
    if (facts.length === have.length && facts.every((f, i) => f === have[i])) return texts;
    return { ...texts, 'pack.json': `${JSON.stringify({ ...m, facts }, null, 2)}\n` };
  } catch {
    return texts;
  }
}

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
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const got = useQuery(trpc.rulePacks.get.queryOptions({ id: version.id }));
  const [texts, setTexts] = useState<Record<string, string> | null>(null);
  const [path, setPath] = useState('pack.json');
  const [adding, setAdding] = useState(false);
  const [newPath, setNewPath] = useState('rules/');
  const [retiring, setRetiring] = useState(false);
  const [view, setView] = useState<'visual' | 'json'>('visual');
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const catalog = useQuery(trpc.rulePacks.catalog.queryOptions());
  const vocab = useMemo(() => vocabularyOf(catalog.data ?? { facts: [], operators: [] }), [catalog.data]);
  const [retireReason, setRetireReason] = useState('');
  // The server's files load into the editor for a new version, or when nothing has been edited
  // since the last load: a refetch (window focus, another panel mounting, an autosave) never
  // overwrites edits in progress (it did, and a rule being built reverted to its template).
  const loaded = useRef<{ id: string; files: string } | null>(null);
  useEffect(() => {
    if (!got.data) return;
    const server = Object.fromEntries(Object.entries(got.data.files).map(([p, v]) => [p, fileText(v)]));
    const files = JSON.stringify(server);
    const prev = loaded.current;
    if (prev?.id === version.id && prev.files === files) return;
    const edited = prev?.id === version.id && texts !== null && JSON.stringify(texts) !== prev.files;
    loaded.current = { id: version.id, files };
    if (!edited) setTexts(server);
  }, [got.data, version.id, texts]);
  const original = useMemo(
    () =>
      got.data ? Object.fromEntries(Object.entries(got.data.files).map(([p, v]) => [p, fileText(v)])) : {},
    [got.data],
  );
  const dirty = !!texts && JSON.stringify(texts) !== JSON.stringify(original);
  const debounced = useDebounced(texts, 500);
  const editableDraft =
    version.status === 'draft' && (version.review === 'editing' || version.review === 'returned');
  // Leaving with unsaved changes asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  const proposal = useQuery({
    ...trpc.rulePacks.proposeVersion.queryOptions({
      files: debounced ?? { 'pack.json': '{}' },
      ...(editableDraft ? { id: version.id } : {}),
    }),
    enabled: canAuthor && !!debounced && dirty,
    retry: false,
  });
  const validate = useQuery({
    ...trpc.rulePacks.validate.queryOptions({ files: debounced ?? { 'pack.json': '{}' } }),
    enabled: canAuthor && !!debounced && 'pack.json' in debounced,
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.rulePacks.pathKey() });
  const upload = useMutation(
    trpc.rulePacks.saveDraft.mutationOptions({
      onSuccess: async (row) => {
        message.success(t('rulePack.uploaded', { v: `${row.packId}@${row.version}` }));
        await refresh();
        onUploaded(row.id);
      },
    }),
  );
  // Autosave: an editable draft saves itself a few seconds after the last edit.
  const autosave = useMutation(
    trpc.rulePacks.saveDraft.mutationOptions({
      onSuccess: async (row) => {
        setSavedAt(fmtTime(new Date()).slice(11));
        await qc.invalidateQueries({ queryKey: trpc.rulePacks.get.queryKey({ id: row.id }) });
        await qc.invalidateQueries({ queryKey: trpc.rulePacks.list.queryKey() });
      },
    }),
  );
  const autosaveText = useDebounced(texts, 3000);
  const lastAutosaved = useRef<string | null>(null);
  useEffect(() => {
    if (!canAuthor || !editableDraft || !autosaveText || autosave.isPending) return;
    const key = JSON.stringify(autosaveText);
    if (key === JSON.stringify(original) || key === lastAutosaved.current) return;
    if (Object.values(autosaveText).some((x) => syntaxProblem(x))) return;
    lastAutosaved.current = key;
    autosave.mutate({ id: version.id, files: autosaveText });
  }, [autosaveText, canAuthor, editableDraft, original, version.id, autosave]);
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
      <ErrorAlert error={got.error ?? validate.error ?? upload.error ?? autosave.error ?? retire.error} />
      <ReviewBar version={version} canAuthor={canAuthor} dirty={dirty} texts={texts} />
      <Space wrap style={{ marginBottom: 12 }}>
        {canAuthor && (
          <Button
            type="primary"
            icon={<CloudUploadOutlined />}
            disabled={!dirty || checking || !validate.data?.ok}
            loading={upload.isPending}
            onClick={() => upload.mutate({ files: texts, ...(editableDraft ? { id: version.id } : {}) })}
            data-testid="rule-pack-upload"
          >
            {t('rulePack.saveDraft')}
          </Button>
        )}
        {proposal.data && dirty && (
          <Tag color="blue" data-testid="rule-pack-proposed-version">
            {t('authoring.proposedVersion', {
              v: proposal.data.version,
              kind: t(`authoring.kindOfChange.${proposal.data.kind}`),
            })}
          </Tag>
        )}
        {savedAt && (
          <Typography.Text type="secondary">{t('authoring.autosaved', { at: savedAt })}</Typography.Text>
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
          {(path.startsWith('rules/') || path.startsWith('cases/')) && (
            <Segmented
              style={{ marginBottom: 8 }}
              value={view}
              onChange={(v) => setView(v as 'visual' | 'json')}
              options={[
                {
                  value: 'visual',
                  label: <span data-testid="rule-view-visual">{t('authoring.visual')}</span>,
                },
                { value: 'json', label: <span data-testid="rule-view-json">{t('authoring.json')}</span> },
              ]}
            />
          )}
          {path.startsWith('rules/') && view === 'visual' && catalog.data ? (
            <Suspense fallback={<Typography.Text type="secondary">…</Typography.Text>}>
              <RuleEditor
                text={text}
                readOnly={!canAuthor}
                catalog={catalog.data}
                issues={issues.filter((i) => issueFile(i.file) === path)}
                onChange={(next) => setTexts((ts) => withFactsDeclared({ ...ts, [path]: next }))}
              />
            </Suspense>
          ) : path.startsWith('cases/') && view === 'visual' && catalog.data ? (
            <Suspense fallback={<Typography.Text type="secondary">…</Typography.Text>}>
              <CasesEditor
                text={text}
                readOnly={!canAuthor}
                catalog={catalog.data}
                ruleNames={ruleNamesOf(texts ?? {})}
                onChange={(next) => setTexts((ts) => ({ ...ts, [path]: next }))}
              />
            </Suspense>
          ) : (
            <Input.TextArea
              value={text}
              readOnly={!canAuthor}
              onChange={(e) => setTexts((ts) => ({ ...ts, [path]: e.target.value }))}
              autoSize={{ minRows: 16, maxRows: 32 }}
              spellCheck={false}
              style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12 }}
              data-testid="rule-pack-editor"
            />
          )}
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
                    render: (s: string) => (
                      <Tag color={s === 'error' ? 'red' : 'orange'}>
                        {t(s === 'error' ? 'rulePack.severity.error' : 'rulePack.severity.warning')}
                      </Tag>
                    ),
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
                    render: (p: string) =>
                      lang === 'zh' ? locationZh(p) : <Typography.Text code>{p}</Typography.Text>,
                  },
                  {
                    title: t('rulePack.message'),
                    key: 'message',
                    render: (_: unknown, i: Issue) => issueText({ ...i, hint: null }, lang, vocab),
                  },
                  {
                    title: t('rulePack.suggestion'),
                    key: 'suggestion',
                    render: (_: unknown, i: Issue) =>
                      i.hint ? (
                        <Typography.Text type="success">
                          {lang === 'zh' ? hintText(i.hint, vocab) : i.suggestion}
                        </Typography.Text>
                      ) : (
                        ''
                      ),
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
          const rule = /^rules\/([a-z0-9][a-z0-9-]*)\.json$/.exec(newPath);
          setTexts((ts) => ({ ...ts, [newPath]: rule ? ruleTemplate(rule[1]!) : '{\n  \n}\n' }));
          setPath(newPath);
          setAdding(false);
        }}
      >
        <Input
          value={newPath}
          onChange={(e) => setNewPath(e.target.value)}
          placeholder="rules/my-rule.json"
          data-testid="rule-pack-new-path"
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
