import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Checkbox, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import {
  CREDIT_GRADES,
  INSPECTOR_STATUSES,
  RISK_GRADES,
  UNIT_SCALES,
  usccProblem,
  type InspectorStatus,
} from '@spotcheck/core';
import { useI18n, type TKey } from '../i18n';
import { CITY_BUREAU } from '../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { INDUSTRIES, SPECIALTIES, UNIT_NATURES, VOCAB_SEARCH, vocabOptions } from '../lib/labels';
import type { RouterInputs, RouterOutputs } from '../lib/types';
import { ErrorAlert } from './common';
import { UNIT_FLAGS } from './unitFlags';

type UnitInput = RouterInputs['units']['create'];
type InspectorInput = RouterInputs['inspectors']['create'];
type ExpertInput = RouterInputs['experts']['create'];
/** An expert as listed. */
export type Expert = RouterOutputs['experts']['list'][number];

const DRAW_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const dateText = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

/** The antd rule that checks a USCC with the server's own rule (`usccProblem`, GB 32100 check character). */
export function usccRule(t: (k: TKey) => string) {
  return {
    validator: async (_: unknown, v: string | undefined) => {
      if (!v) throw new Error(t('form.required'));
      const problem = usccProblem(v.trim().toUpperCase());
      if (problem) throw new Error(`${t('form.usccInvalid')}: ${problem}`);
    },
  };
}

/** District options a user may write to: the fixed one, or every district for the city. */
function useDistrictOptions(fixed: string | undefined) {
  const bureaus = useBureaus();
  return bureaus.list
    .filter((b) => b.level === 'district' && (!fixed || fixed === CITY_BUREAU || b.code === fixed))
    .map((b) => ({ value: b.code, label: `${b.name} (${b.code})` }));
}

type UnitForm = Omit<UnitInput, 'lastFatalAccidentOn' | 'lastInspectedOn'> & {
  lastFatalAccidentOn?: Dayjs | null;
  lastInspectedOn?: Dayjs | null;
  flags?: string[];
};

/** Adds a unit to the target roster (R4); nature, industry and region count as verified on entry. */
export function UnitCreateModal({
  open,
  onClose,
  bureauCode,
}: {
  open: boolean;
  onClose: () => void;
  bureauCode: string | undefined;
}) {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<UnitForm>();
  const districts = useDistrictOptions(bureauCode);
  const create = useMutation(
    trpc.units.create.mutationOptions({
      onSuccess: async (u) => {
        message.success(`${t('common.created.ok')}: ${u.name}`);
        form.resetFields();
        onClose();
        await qc.invalidateQueries({ queryKey: trpc.units.pathKey() });
      },
    }),
  );
  useEffect(() => {
    if (open && districts.length === 1) form.setFieldValue('bureauCode', districts[0]!.value);
  }, [open, districts, form]);
  const submit = (v: UnitForm) => {
    const flags = new Set(v.flags ?? []);
    const { flags: _f, ...rest } = v;
    void _f;
    create.mutate({
      ...rest,
      id: v.id.trim().toUpperCase(),
      name: v.name.trim(),
      streetCode: v.streetCode || null,
      lastFatalAccidentOn: dateText(v.lastFatalAccidentOn),
      lastInspectedOn: dateText(v.lastInspectedOn),
      ...Object.fromEntries(UNIT_FLAGS.map((f) => [f, flags.has(f)])),
    });
  };
  return (
    <Modal
      open={open}
      width={860}
      title={t('unit.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <ErrorAlert error={create.error} />
      <Form<UnitForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ scale: 'small', employees: 10, riskGrade: 'low', creditGrade: 'B', flags: [] }}
        data-testid="unit-create-form"
      >
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="id" label={t('unit.id')} rules={[usccRule(t)]} validateDebounce={200}>
              <Input maxLength={18} data-testid="unit-form-id" style={{ fontFamily: 'monospace' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="name"
              label={t('unit.name')}
              rules={[{ required: true, whitespace: true, max: 200 }]}
            >
              <Input data-testid="unit-form-name" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="bureauCode" label={t('common.bureau')} rules={[{ required: true }]}>
              <Select options={districts} showSearch={{ optionFilterProp: 'label' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="nature" label={t('unit.nature')} rules={[{ required: true }]}>
              <Select options={vocabOptions(UNIT_NATURES, lang)} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="industry" label={t('unit.industry')} rules={[{ required: true }]}>
              <Select options={vocabOptions(INDUSTRIES, lang)} showSearch={VOCAB_SEARCH} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="scale" label={t('unit.scale')} rules={[{ required: true }]}>
              <Select options={UNIT_SCALES.map((s) => ({ value: s, label: t(`scale.${s}`) }))} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="employees" label={t('unit.employees')} rules={[{ required: true }]}>
              <InputNumber min={0} max={10_000_000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="riskGrade" label={t('unit.riskGrade')} rules={[{ required: true }]}>
              <Select options={RISK_GRADES.map((g) => ({ value: g, label: t(`risk.${g}`) }))} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="creditGrade" label={t('unit.creditGrade')} rules={[{ required: true }]}>
              <Select options={CREDIT_GRADES.map((g) => ({ value: g, label: g }))} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="streetCode"
              label={t('unit.street')}
              rules={[{ pattern: /^\d{9}$/, message: t('form.streetCode') }]}
            >
              <Input maxLength={9} />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="address" label={t('unit.address')} rules={[{ max: 300 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="legalRepresentative"
              label={t('unit.legalRepresentative')}
              rules={[{ max: 100 }]}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="lastFatalAccidentOn" label={t('unit.lastFatalAccidentOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="lastInspectedOn" label={t('unit.lastInspectedOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="flags" label={t('unit.flags')}>
              <Checkbox.Group
                options={UNIT_FLAGS.map((f) => ({ value: f, label: t(`flag.${f}`) }))}
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

type InspectorForm = Omit<InspectorInput, 'joinedOn' | 'leftOn'> & { joinedOn?: Dayjs | null };

/** Adds an officer to the inspector roster (R3). */
export function InspectorCreateModal({
  open,
  onClose,
  bureauCode,
}: {
  open: boolean;
  onClose: () => void;
  bureauCode: string | undefined;
}) {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<InspectorForm>();
  const districts = useDistrictOptions(bureauCode);
  const bureaus = useBureaus();
  const options =
    bureauCode === CITY_BUREAU || !bureauCode
      ? [{ value: CITY_BUREAU, label: bureaus.name(CITY_BUREAU) }, ...districts]
      : districts;
  const create = useMutation(
    trpc.inspectors.create.mutationOptions({
      onSuccess: async (i) => {
        message.success(`${t('common.created.ok')}: ${i.name}`);
        form.resetFields();
        onClose();
        await qc.invalidateQueries({ queryKey: trpc.inspectors.pathKey() });
      },
    }),
  );
  return (
    <Modal
      open={open}
      width={720}
      title={t('inspector.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <ErrorAlert error={create.error} />
      <Form<InspectorForm>
        form={form}
        layout="vertical"
        initialValues={{
          status: 'active',
          capacityPerQuarter: 12,
          specialties: [],
          equipment: [],
          bureauCode,
        }}
        onFinish={(v) => create.mutate({ ...v, joinedOn: dateText(v.joinedOn) })}
      >
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item
              name="id"
              label={t('inspector.id')}
              rules={[{ required: true }, { pattern: DRAW_ID, message: t('form.drawId') }]}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="name" label={t('inspector.name')} rules={[{ required: true, whitespace: true }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="certificateNo"
              label={t('inspector.certificateNo')}
              rules={[{ required: true, max: 64 }]}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="bureauCode" label={t('common.bureau')} rules={[{ required: true }]}>
              <Select options={options} showSearch={{ optionFilterProp: 'label' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="department"
              label={t('inspector.department')}
              rules={[{ required: true, max: 200 }]}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="specialties" label={t('inspector.specialties')}>
              <Select mode="multiple" options={vocabOptions(SPECIALTIES, lang)} showSearch={VOCAB_SEARCH} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="equipment" label={t('inspector.equipment')}>
              <Select mode="tags" tokenSeparators={[',', '，', ';']} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="capacityPerQuarter" label={t('inspector.capacity')} rules={[{ required: true }]}>
              <InputNumber min={1} max={500} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="status" label={t('common.status')}>
              <Select
                options={INSPECTOR_STATUSES.map((s: InspectorStatus) => ({
                  value: s,
                  label: t(`inspector.status.${s}`),
                }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="joinedOn" label={t('inspector.joinedOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

/** An officer as listed. */
export type Inspector = RouterOutputs['inspectors']['list'][number];
type InspectorEditForm = {
  name: string;
  certificateNo: string;
  department: string;
  specialties: string[];
  equipment: string[];
  capacityPerQuarter: number;
  status: InspectorStatus;
};

/**
 * Edits an officer (R3): name, certificate number, department, specialties, equipment and
 * capacity through `inspectors.update`, the status through `inspectors.setStatus`; both audited.
 * The officer number stays: draws and teams refer to it.
 */
export function InspectorEditModal({
  inspector,
  onClose,
}: {
  inspector: Inspector | null;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<InspectorEditForm>();
  const update = useMutation(trpc.inspectors.update.mutationOptions());
  const setStatus = useMutation(trpc.inspectors.setStatus.mutationOptions());
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const submit = async (v: InspectorEditForm) => {
    if (!inspector) return;
    setError(null);
    setSaving(true);
    try {
      const patch: Partial<Omit<InspectorEditForm, 'status'>> = {};
      const fields = ['name', 'certificateNo', 'department', 'capacityPerQuarter'] as const;
      for (const f of fields) if (v[f] !== inspector[f]) Object.assign(patch, { [f]: v[f] });
      const same = (a: readonly string[], b: readonly string[]) =>
        a.length === b.length && [...a].sort().join('|') === [...b].sort().join('|');
      if (!same(v.specialties, inspector.specialties)) patch.specialties = v.specialties;
      if (!same(v.equipment, inspector.equipment)) patch.equipment = v.equipment;
      if (Object.keys(patch).length) await update.mutateAsync({ id: inspector.id, patch });
      if (v.status !== inspector.status) await setStatus.mutateAsync({ id: inspector.id, status: v.status });
      await qc.invalidateQueries({ queryKey: trpc.inspectors.pathKey() });
      message.success(`${t('inspector.saved')}: ${v.name}`);
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={!!inspector}
      width={720}
      title={inspector ? `${t('inspector.editTitle')} · ${inspector.name}` : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'inspector-edit-save' } as Record<`data-${string}`, string>}
      destroyOnHidden
    >
      <ErrorAlert error={error} />
      {inspector && (
        <Form<InspectorEditForm>
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{
            name: inspector.name,
            certificateNo: inspector.certificateNo,
            department: inspector.department,
            specialties: inspector.specialties,
            equipment: inspector.equipment,
            capacityPerQuarter: inspector.capacityPerQuarter,
            status: inspector.status,
          }}
          onFinish={(v) => void submit(v)}
          data-testid="inspector-edit-form"
        >
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item label={t('inspector.id')}>
                <Input value={inspector.id} disabled />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name="name"
                label={t('inspector.name')}
                rules={[{ required: true, whitespace: true, max: 100 }]}
              >
                <Input data-testid="inspector-edit-name" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name="certificateNo"
                label={t('inspector.certificateNo')}
                rules={[{ required: true, whitespace: true, max: 64 }]}
              >
                <Input data-testid="inspector-edit-cert" />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item
                name="department"
                label={t('inspector.department')}
                rules={[{ required: true, max: 200 }]}
              >
                <Input />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="specialties" label={t('inspector.specialties')}>
                <Select
                  mode="multiple"
                  options={vocabOptions(SPECIALTIES, lang)}
                  showSearch={VOCAB_SEARCH}
                  data-testid="inspector-edit-specialties"
                />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="equipment" label={t('inspector.equipment')}>
                <Select mode="tags" tokenSeparators={[',', '，', ';']} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="capacityPerQuarter"
                label={t('inspector.capacity')}
                rules={[{ required: true }]}
              >
                <InputNumber
                  min={1}
                  max={500}
                  precision={0}
                  style={{ width: '100%' }}
                  data-testid="inspector-edit-capacity"
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="status" label={t('common.status')}>
                <Select
                  data-testid="inspector-edit-status"
                  options={INSPECTOR_STATUSES.map((s: InspectorStatus) => ({
                    value: s,
                    label: t(`inspector.status.${s}`),
                  }))}
                />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      )}
    </Modal>
  );
}

type ExpertForm = ExpertInput & { cityWide?: boolean };

/** Adds an expert (city-wide experts: city admins) or edits one. */
export function ExpertFormModal({
  open,
  onClose,
  bureauCode,
  editing,
}: {
  open: boolean;
  onClose: () => void;
  bureauCode: string | undefined;
  editing?: Expert | null;
}) {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ExpertForm>();
  const districts = useDistrictOptions(bureauCode);
  const cityAllowed = !bureauCode || bureauCode === CITY_BUREAU;
  const done = async () => {
    message.success(t('common.saved'));
    form.resetFields();
    onClose();
    await qc.invalidateQueries({ queryKey: trpc.experts.pathKey() });
  };
  const create = useMutation(trpc.experts.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.experts.update.mutationOptions({ onSuccess: done }));
  useEffect(() => {
    if (open && editing) form.setFieldsValue({ ...editing, bureauCode: editing.bureauCode ?? undefined });
  }, [open, editing, form]);
  const submit = (v: ExpertForm) => {
    if (editing) {
      update.mutate({
        id: editing.id,
        patch: {
          name: v.name,
          specialties: v.specialties,
          title: v.title,
          employer: v.employer,
          status: v.status,
        },
      });
    } else {
      create.mutate({
        id: v.id,
        name: v.name,
        bureauCode: v.bureauCode ?? null,
        specialties: v.specialties ?? [],
        title: v.title ?? '',
        employer: v.employer ?? '',
        status: v.status ?? 'active',
      });
    }
  };
  return (
    <Modal
      open={open}
      width={640}
      title={editing ? `${t('common.edit')} · ${editing.name}` : t('expert.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
    >
      <ErrorAlert error={create.error ?? update.error} />
      <Form<ExpertForm>
        form={form}
        layout="vertical"
        initialValues={{
          status: 'active',
          specialties: [],
          bureauCode: cityAllowed ? undefined : districts[0]?.value,
        }}
        onFinish={submit}
      >
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item
              name="id"
              label={t('expert.id')}
              rules={[{ required: true }, { pattern: DRAW_ID, message: t('form.drawId') }]}
            >
              <Input disabled={!!editing} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="name" label={t('expert.name')} rules={[{ required: true, whitespace: true }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="bureauCode"
              label={t('common.bureau')}
              extra={cityAllowed ? t('expert.cityWideHint') : undefined}
              rules={cityAllowed ? [] : [{ required: true }]}
            >
              <Select
                allowClear={cityAllowed}
                options={districts}
                disabled={!!editing}
                placeholder={t('expert.cityWide')}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="status" label={t('common.status')}>
              <Select
                options={(['active', 'inactive'] as const).map((s) => ({
                  value: s,
                  label: t(`expert.status.${s}`),
                }))}
              />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="specialties" label={t('inspector.specialties')}>
              <Select mode="multiple" options={vocabOptions(SPECIALTIES, lang)} showSearch={VOCAB_SEARCH} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="title" label={t('expert.title')} rules={[{ max: 100 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="employer" label={t('expert.employer')} rules={[{ max: 200 }]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
