import { DownloadOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Checkbox,
  Modal,
  Progress,
  Radio,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { INSPECTOR_STATUSES, isOneOf, RISK_GRADES, UNIT_SCALES } from '@spotcheck/core';
import { useI18n } from '../i18n';
import { Notice } from '@spotcheck/ui/notice';
import { errorMessage, RefusalError } from '../lib/errors';
import { downloadBase64, fileToBase64, formatOf, streamUpload, UploadCancelled } from '../lib/files';
import type { RouterOutputs } from '../lib/types';
import { CITY_BUREAU } from '../lib/access';
import { useBureaus, useTRPCClient } from '@spotcheck/ui/trpc';
import { industryLabel, natureLabel, specialtyLabel } from '../lib/labels';
import { useSession } from '../session';

/** A list that moves as a spreadsheet (R22). */
export type TransferKind = 'units' | 'inspectors' | 'experts' | 'checklist-items';
type Report = RouterOutputs['transfer']['import'];
type Problem = Report['problems'][number];
type Preview = RouterOutputs['transfer']['previewUpsert'];
type SyncKind = Preview['kind'];
type Change = Preview['changes'][number];
type FieldChange = Change['fields'][number];

/**
 * An import problem in the user's language (`importProblem.<code>` with its params; a bureau
 * code named as the bureau), or the server's English message for a code this build lacks.
 */
function useProblemText(): (p: Problem) => string {
  const { tx } = useI18n();
  const bureaus = useBureaus();
  return (p) => {
    const text = tx(`importProblem.${p.code}`, '');
    if (!text) return p.message;
    const params: Record<string, string | number> = { ...p.params };
    if (typeof params.bureau === 'string') params.bureau = bureaus.name(params.bureau);
    return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
  };
}

/**
 * Why a file was refused, row by row: the count, and each problem with its row, column and
 * reason (the first ones, when there are more than the server lists).
 */
function ProblemReport({ report }: { report: Pick<Report, 'rows' | 'problems' | 'problemCount'> }) {
  const { t } = useI18n();
  const problemText = useProblemText();
  return (
    <div data-testid="import-report">
      <Notice
        type="error"
        title={t('transfer.failed', { n: report.problemCount })}
        description={t('transfer.failedDetail', { rows: report.rows })}
      />
      {report.problemCount > report.problems.length && (
        <Typography.Paragraph type="secondary">
          {t('transfer.moreProblems', { shown: report.problems.length, n: report.problemCount })}
        </Typography.Paragraph>
      )}
      <Table<Problem>
        rowKey={(p, i) => `${p.row}:${p.column}:${i}`}
        size="small"
        dataSource={report.problems}
        pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
        columns={[
          { title: t('transfer.row'), dataIndex: 'row', width: 70 },
          { title: t('transfer.column'), dataIndex: 'column', width: 220 },
          { title: t('common.reason'), key: 'message', render: (_, p) => problemText(p) },
        ]}
      />
    </div>
  );
}

/** Files above this size stream through `POST /upload/import/:kind` with progress; smaller ones go as base64. */
export const LARGE_IMPORT_BYTES = 1024 * 1024;

/** Export buttons (XLSX and CSV) of a list, through `transfer.export`. */
export function ExportButtons({ kind, versionId }: { kind: TransferKind; versionId?: string }) {
  const { t, lang } = useI18n();
  const client = useTRPCClient();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState<'xlsx' | 'csv' | null>(null);
  const run = async (format: 'xlsx' | 'csv') => {
    setBusy(format);
    try {
      downloadBase64(await client.transfer.export.query({ kind, format, versionId }));
    } catch (err) {
      message.error(errorMessage(err, lang));
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <Button
        icon={<DownloadOutlined />}
        loading={busy === 'xlsx'}
        onClick={() => void run('xlsx')}
        data-testid={`${kind}-export-xlsx`}
      >
        {t('transfer.exportXlsx')}
      </Button>
      <Button
        icon={<DownloadOutlined />}
        loading={busy === 'csv'}
        onClick={() => void run('csv')}
        data-testid={`${kind}-export-csv`}
      >
        {t('transfer.exportCsv')}
      </Button>
    </>
  );
}

interface Progressing {
  phase: 'uploading' | 'reading' | 'writing';
  percent: number;
  rows: number;
}

/** A roster value as a reader knows it: labels for codes, 是/否 for flags. */
function useSyncValue() {
  const { t, lang } = useI18n();
  return (field: string, v: FieldChange['before']): string => {
    if (v === null || v === '') return '—';
    if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
    if (Array.isArray(v))
      return v.map((x) => (field === 'specialties' ? specialtyLabel(x, lang) : x)).join('、') || '—';
    const s = String(v);
    switch (field) {
      case 'industry':
        return industryLabel(s, lang);
      case 'nature':
        return natureLabel(s, lang);
      case 'riskGrade':
        return isOneOf(RISK_GRADES, s) ? t(`risk.${s}`) : s;
      case 'scale':
        return isOneOf(UNIT_SCALES, s) ? t(`scale.${s}`) : s;
      case 'status':
        if (s === 'active' || s === 'closed') return t(`sync.status.${s}`);
        return isOneOf(INSPECTOR_STATUSES, s) ? t(`inspector.status.${s}`) : s;
      default:
        return s;
    }
  };
}

/**
 * Roster sync (R4, R22): a units or officers file compared with the roster by credit code or
 * officer number — adds, changes field by field, closures of a full roster — then committed all
 * at once with the preview's digest (`transfer.previewUpsert` / `transfer.commitUpsert`).
 */
function RosterSync({ kind, onImported }: { kind: SyncKind; onImported?: () => void }) {
  const { t, lang } = useI18n();
  const client = useTRPCClient();
  const user = useSession();
  const bureaus = useBureaus();
  const show = useSyncValue();
  const cityWide = user.roles.some((g) => g.bureauCode === CITY_BUREAU && g.role === 'city-admin');
  const ownBureaus = bureaus.list.filter((b) => cityWide || b.code === user.bureauCode);
  const [full, setFull] = useState(false);
  const [fullOf, setFullOf] = useState<string>(user.bureauCode);
  const [file, setFile] = useState<{ name: string; format: 'xlsx' | 'csv'; base64: string } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState<'preview' | 'commit' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Preview['counts'] | null>(null);

  const run = async (f: NonNullable<typeof file>, fullRosterOf: string | undefined) => {
    setPreview(null);
    setDone(null);
    setError(null);
    setBusy('preview');
    try {
      setPreview(
        await client.transfer.previewUpsert.mutate({
          kind,
          format: f.format,
          base64: f.base64,
          fullRosterOf,
        }),
      );
    } catch (err) {
      setError(errorMessage(err, lang));
    } finally {
      setBusy(null);
    }
  };
  const choose = async (picked: File) => {
    const format = formatOf(picked.name);
    if (!format) {
      setError(t('transfer.badFormat'));
      return;
    }
    const f = { name: picked.name, format, base64: await fileToBase64(picked) };
    setFile(f);
    await run(f, full ? fullOf : undefined);
  };
  const commit = async () => {
    if (!file || !preview) return;
    setBusy('commit');
    setError(null);
    try {
      const r = await client.transfer.commitUpsert.mutate({
        kind,
        format: file.format,
        base64: file.base64,
        fullRosterOf: preview.fullRosterOf ?? undefined,
        digest: preview.digest,
      });
      if (r.committed) {
        setDone(r.counts);
        setPreview(null);
        onImported?.();
      } else setPreview(r);
    } catch (err) {
      setError(errorMessage(err, lang));
    } finally {
      setBusy(null);
    }
  };
  const counts = preview?.counts;
  const nothing = counts && counts.adds + counts.changes + counts.closures === 0;
  const more = (shown: number, n: number) =>
    n > shown ? <Typography.Text type="secondary">{t('sync.more', { shown, n })}</Typography.Text> : null;
  const keyTitle = t(`sync.key.${kind}`);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="sync-panel">
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('sync.hint')}
      </Typography.Paragraph>
      <Space wrap>
        <Checkbox
          checked={full}
          onChange={(e) => {
            setFull(e.target.checked);
            if (file) void run(file, e.target.checked ? fullOf : undefined);
          }}
          data-testid="sync-full"
        >
          {t('sync.fullRoster')}
        </Checkbox>
        <Select
          size="small"
          style={{ width: 220 }}
          disabled={!full}
          value={fullOf}
          onChange={(v: string) => {
            setFullOf(v);
            if (file && full) void run(file, v);
          }}
          options={ownBureaus.map((b) => ({ value: b.code, label: b.name }))}
        />
      </Space>
      <Typography.Text type="secondary">{t(`sync.fullRosterHint.${kind}`)}</Typography.Text>
      <Upload.Dragger
        accept=".xlsx,.csv"
        multiple={false}
        showUploadList={false}
        disabled={busy !== null}
        beforeUpload={(f) => {
          void choose(f);
          return false;
        }}
        data-testid="sync-file"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('transfer.drop')}</p>
        <p className="ant-upload-hint">{file?.name ?? t('transfer.dropHint')}</p>
      </Upload.Dragger>
      {busy === 'preview' && <Progress percent={99} status="active" showInfo={false} />}
      {error && <Alert type="error" showIcon title={t('common.error')} description={error} />}
      {done && (
        <Alert
          type="success"
          showIcon
          title={t('sync.committed', { a: done.adds, c: done.changes, x: done.closures })}
          data-testid="sync-committed"
        />
      )}
      {preview && !preview.ok && <ProblemReport report={preview} />}
      {preview?.ok && counts && (
        <div data-testid="sync-preview">
          <Space wrap style={{ marginBottom: 8 }}>
            <Tag color="green" data-testid="sync-count-adds">
              {t('sync.adds', { n: counts.adds })}
            </Tag>
            <Tag color="blue" data-testid="sync-count-changes">
              {t('sync.changes', { n: counts.changes })}
            </Tag>
            <Tag>{t('sync.unchanged', { n: counts.unchanged })}</Tag>
            <Tag color="red" data-testid="sync-count-closures">
              {t(`sync.closures.${kind}`, { n: counts.closures })}
            </Tag>
          </Space>
          <Tabs
            size="small"
            items={[
              {
                key: 'changes',
                label: t('sync.changes', { n: counts.changes }),
                children: (
                  <>
                    <Table<Change>
                      rowKey="key"
                      size="small"
                      dataSource={preview.changes}
                      pagination={{ pageSize: 8, showSizeChanger: false, hideOnSinglePage: true }}
                      data-testid="sync-changes"
                      columns={[
                        { title: t('sync.row'), dataIndex: 'row', width: 56 },
                        { title: t('sync.name'), dataIndex: 'name', width: 160 },
                        {
                          title: `${t('sync.field')} · ${t('sync.before')} → ${t('sync.after')}`,
                          key: 'fields',
                          render: (_: unknown, c) => (
                            <div>
                              {c.fields.map((f) => (
                                <div key={f.field}>
                                  <b>{lang === 'zh' ? f.label : f.field}</b>：
                                  <Typography.Text delete type="secondary">
                                    {show(f.field, f.before)}
                                  </Typography.Text>{' '}
                                  → <Typography.Text strong>{show(f.field, f.after)}</Typography.Text>
                                </div>
                              ))}
                            </div>
                          ),
                        },
                      ]}
                    />
                    {more(preview.changes.length, counts.changes)}
                  </>
                ),
              },
              {
                key: 'adds',
                label: t('sync.adds', { n: counts.adds }),
                children: (
                  <>
                    <Table
                      rowKey="key"
                      size="small"
                      dataSource={preview.adds}
                      pagination={{ pageSize: 8, showSizeChanger: false, hideOnSinglePage: true }}
                      data-testid="sync-adds"
                      columns={[
                        { title: t('sync.row'), dataIndex: 'row', width: 56 },
                        { title: keyTitle, dataIndex: 'key', width: 190 },
                        { title: t('sync.name'), dataIndex: 'name' },
                        {
                          title: t('common.bureau'),
                          dataIndex: 'bureauCode',
                          render: (c: string) => bureaus.name(c),
                        },
                      ]}
                    />
                    {more(preview.adds.length, counts.adds)}
                  </>
                ),
              },
              {
                key: 'closures',
                label: t(`sync.closures.${kind}`, { n: counts.closures }),
                children: (
                  <>
                    <Table
                      rowKey="key"
                      size="small"
                      dataSource={preview.closures}
                      pagination={{ pageSize: 8, showSizeChanger: false, hideOnSinglePage: true }}
                      data-testid="sync-closures"
                      columns={[
                        { title: keyTitle, dataIndex: 'key', width: 190 },
                        { title: t('sync.name'), dataIndex: 'name' },
                        {
                          title: t('common.bureau'),
                          dataIndex: 'bureauCode',
                          render: (c: string) => bureaus.name(c),
                        },
                      ]}
                    />
                    {more(preview.closures.length, counts.closures)}
                  </>
                ),
              },
            ]}
          />
          {nothing ? (
            <Alert type="info" showIcon title={t('sync.nothing')} />
          ) : (
            <Button
              type="primary"
              loading={busy === 'commit'}
              onClick={() => void commit()}
              data-testid="sync-commit"
            >
              {t('sync.commit')}
            </Button>
          )}
        </div>
      )}
    </Space>
  );
}

/** The import dialog: templates, file choice, progress, and the all-or-nothing report. */
export function ImportDialog({
  kind,
  versionId,
  open,
  onClose,
  onImported,
}: {
  kind: TransferKind;
  versionId?: string;
  open: boolean;
  onClose: () => void;
  onImported?: (report: Report) => void;
}) {
  const { t, lang } = useI18n();
  const client = useTRPCClient();
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progressing | null>(null);
  const busy = progress !== null;
  const syncable = kind === 'units' || kind === 'inspectors';
  const [mode, setMode] = useState<'add' | 'upsert'>('add');
  // A streamed upload can be cancelled until the server starts writing.
  const [cancel, setCancel] = useState<AbortController | null>(null);
  const [cancelled, setCancelled] = useState(false);

  const reset = () => {
    setReport(null);
    setError(null);
    setFileName(null);
    setProgress(null);
    setCancelled(false);
  };

  const template = async (format: 'xlsx' | 'csv') => {
    try {
      downloadBase64(await client.transfer.template.query({ kind, format }));
    } catch (err) {
      setError(errorMessage(err, lang));
    }
  };

  const finish = (r: Report) => {
    setReport(r);
    if (r.ok) onImported?.(r);
  };

  const importFile = async (file: File) => {
    reset();
    setFileName(file.name);
    const format = formatOf(file.name);
    if (!format) {
      setError(t('transfer.badFormat'));
      return;
    }
    try {
      if (file.size <= LARGE_IMPORT_BYTES) {
        setProgress({ phase: 'uploading', percent: 0, rows: 0 });
        const base64 = await fileToBase64(file);
        finish(await client.transfer.import.mutate({ kind, format, base64, versionId }));
        return;
      }
      // Large files stream; the server reports rows read and written as NDJSON lines.
      let readRows = 0;
      const query = new URLSearchParams({ format, ...(versionId ? { versionId } : {}) });
      setProgress({ phase: 'uploading', percent: 0, rows: 0 });
      const controller = new AbortController();
      setCancel(controller);
      await streamUpload(
        `/upload/import/${kind}?${query}`,
        file,
        (sent, total) =>
          setProgress((p) =>
            p && p.phase !== 'writing'
              ? { ...p, phase: p.phase, percent: Math.min(99, Math.floor((sent / Math.max(total, 1)) * 100)) }
              : p,
          ),
        (line) => {
          if (line.type === 'progress') {
            if (line.phase === 'reading') readRows = line.rows;
            setProgress((p) => ({
              phase: line.phase,
              rows: line.rows,
              percent:
                line.phase === 'writing'
                  ? Math.floor((line.rows / Math.max(readRows, 1)) * 100)
                  : (p?.percent ?? 0),
            }));
            if (line.phase === 'writing') setCancel(null);
          } else if (line.type === 'error')
            setError(errorMessage(new RefusalError(line.message, line), lang));
          else finish(line as unknown as Report);
        },
        controller.signal,
      );
    } catch (err) {
      if (err instanceof UploadCancelled) setCancelled(true);
      else setError(errorMessage(err, lang));
    } finally {
      setProgress(null);
      setCancel(null);
    }
  };

  return (
    <Modal
      open={open}
      width={820}
      title={t(`transfer.import.${kind}`)}
      onCancel={() => (busy ? undefined : (reset(), onClose()))}
      footer={
        <Button onClick={() => (reset(), onClose())} disabled={busy}>
          {t('common.close')}
        </Button>
      }
      destroyOnHidden
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="import-dialog">
        {syncable && (
          <Radio.Group
            value={mode}
            onChange={(e) => (reset(), setMode(e.target.value as 'add' | 'upsert'))}
            optionType="button"
            buttonStyle="solid"
            data-testid="import-mode"
            options={[
              { value: 'add', label: t('sync.mode.add') },
              { value: 'upsert', label: t('sync.mode.upsert') },
            ]}
          />
        )}
        {syncable && mode === 'upsert' && (
          <RosterSync
            kind={kind}
            onImported={() =>
              onImported?.({ ok: true, kind, rows: 0, imported: 0, problems: [], problemCount: 0 })
            }
          />
        )}
        <div style={{ display: syncable && mode === 'upsert' ? 'none' : 'block' }}>
          <Space direction="vertical" style={{ width: '100%' }} size="middle">
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              {t('transfer.hint')}
            </Typography.Paragraph>
            <Space wrap>
              <Typography.Text>{t('transfer.template')}</Typography.Text>
              <Button size="small" icon={<DownloadOutlined />} onClick={() => void template('xlsx')}>
                XLSX
              </Button>
              <Button size="small" icon={<DownloadOutlined />} onClick={() => void template('csv')}>
                CSV
              </Button>
            </Space>
            <Upload.Dragger
              accept=".xlsx,.csv"
              multiple={false}
              showUploadList={false}
              disabled={busy}
              beforeUpload={(file) => {
                void importFile(file);
                return false;
              }}
              data-testid="import-file"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('transfer.drop')}</p>
              <p className="ant-upload-hint">{fileName ?? t('transfer.dropHint')}</p>
            </Upload.Dragger>
            {progress && (
              <div data-testid="import-progress">
                <Progress percent={progress.percent} status="active" />
                <Space>
                  <Typography.Text type="secondary">
                    {t(`transfer.phase.${progress.phase}`, { n: progress.rows })}
                  </Typography.Text>
                  {cancel && (
                    <Button size="small" onClick={() => cancel.abort()} data-testid="import-cancel">
                      {t('transfer.cancel')}
                    </Button>
                  )}
                </Space>
              </div>
            )}
            {cancelled && (
              <Alert type="info" showIcon title={t('transfer.cancelled')} data-testid="import-cancelled" />
            )}
            {error && <Alert type="error" showIcon title={t('common.error')} description={error} />}
            {report?.ok && (
              <Alert
                type="success"
                showIcon
                title={t('transfer.done', { n: report.imported })}
                description={t('transfer.doneDetail', { rows: report.rows })}
                data-testid="import-success"
              />
            )}
            {report && !report.ok && <ProblemReport report={report} />}
          </Space>
        </div>
      </Space>
    </Modal>
  );
}

/** An import button that opens {@link ImportDialog} and refreshes the given query path afterwards. */
export function ImportButton({
  kind,
  versionId,
  refreshKey,
  disabled,
}: {
  kind: TransferKind;
  versionId?: string;
  refreshKey: readonly unknown[];
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        icon={<UploadOutlined />}
        onClick={() => setOpen(true)}
        disabled={disabled}
        data-testid={`${kind}-import`}
      >
        {t('transfer.import')}
      </Button>
      <ImportDialog
        kind={kind}
        versionId={versionId}
        open={open}
        onClose={() => setOpen(false)}
        onImported={() => void qc.invalidateQueries({ queryKey: refreshKey })}
      />
    </>
  );
}
