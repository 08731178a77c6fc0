import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Col, DatePicker, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { INSPECTOR_STATUSES, type InspectorStatus } from '@spotcheck/core';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { useI18n } from '../../i18n';
import { CITY_BUREAU } from '../../lib/access';
import type { RouterInputs, RouterOutputs } from '../../lib/types';
import { CountField, DRAW_ID, FormModal, SpecialtiesField, useDistrictOptions, useSaved } from './FormModal';

type InspectorInput = RouterInputs['inspectors']['create'];
type InspectorForm = Omit<InspectorInput, 'joinedOn' | 'leftOn'> & { joinedOn?: Dayjs | null };

/** An officer as listed. */
export type Inspector = RouterOutputs['inspectors']['list'][number];
type InspectorEditForm = Pick<
  Inspector,
  'name' | 'certificateNo' | 'department' | 'specialties' | 'equipment' | 'capacityPerQuarter' | 'status'
>;

/**
 * An officer's fields after the officer number, the same when adding and editing: name,
 * certificate, department, specialties, equipment, quarterly capacity and status. With
 * `testIds`, the fields carry `${testIds}-name`, `-cert`, `-specialties`, `-capacity`, `-status`.
 */
function InspectorFields({ testIds }: { testIds?: string }) {
  const { t } = useI18n();
  const id = (field: string) => (testIds ? `${testIds}-${field}` : undefined);
  return (
    <>
      <Col span={8}>
        <Form.Item
          name="name"
          label={t('inspector.name')}
          rules={[{ required: true, whitespace: true, max: 100 }]}
        >
          <Input data-testid={id('name')} />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item
          name="certificateNo"
          label={t('inspector.certificateNo')}
          rules={[{ required: true, whitespace: true, max: 64 }]}
        >
          <Input data-testid={id('cert')} />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item name="department" label={t('inspector.department')} rules={[{ required: true, max: 200 }]}>
          <Input />
        </Form.Item>
      </Col>
      <SpecialtiesField testId={id('specialties')} />
      <Col span={24}>
        <Form.Item name="equipment" label={t('inspector.equipment')}>
          <Select mode="tags" tokenSeparators={[',', '，', ';']} />
        </Form.Item>
      </Col>
      <CountField
        name="capacityPerQuarter"
        label={t('inspector.capacity')}
        min={1}
        max={500}
        span={12}
        testId={id('capacity')}
      />
      <Col span={12}>
        <Form.Item name="status" label={t('common.status')}>
          <Select
            data-testid={id('status')}
            options={INSPECTOR_STATUSES.map((s: InspectorStatus) => ({
              value: s,
              label: t(`inspector.status.${s}`),
            }))}
          />
        </Form.Item>
      </Col>
    </>
  );
}

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
  const { t } = useI18n();
  const trpc = useTRPC();
  const [form] = Form.useForm<InspectorForm>();
  const districts = useDistrictOptions(bureauCode);
  const bureaus = useBureaus();
  const options =
    bureauCode === CITY_BUREAU || !bureauCode
      ? [{ value: CITY_BUREAU, label: bureaus.name(CITY_BUREAU) }, ...districts]
      : districts;
  const saved = useSaved(form, onClose, trpc.inspectors.pathKey());
  const create = useMutation(
    trpc.inspectors.create.mutationOptions({
      onSuccess: (i) => saved(`${t('common.created.ok')}: ${i.name}`),
    }),
  );
  return (
    <FormModal<InspectorForm>
      open={open}
      width={720}
      title={t('inspector.create')}
      onClose={onClose}
      form={form}
      pending={create.isPending}
      error={create.error}
      initialValues={{ status: 'active', capacityPerQuarter: 12, specialties: [], equipment: [], bureauCode }}
      onFinish={(v) => create.mutate({ ...v, joinedOn: v.joinedOn ? v.joinedOn.format('YYYY-MM-DD') : null })}
    >
      <Col span={8}>
        <Form.Item
          name="id"
          label={t('inspector.id')}
          rules={[{ required: true }, { pattern: DRAW_ID, message: t('form.drawId') }]}
        >
          <Input />
        </Form.Item>
      </Col>
      <InspectorFields />
      <Col span={12}>
        <Form.Item name="bureauCode" label={t('common.bureau')} rules={[{ required: true }]}>
          <Select options={options} showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="joinedOn" label={t('inspector.joinedOn')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Col>
    </FormModal>
  );
}

/** Whether two lists hold the same strings, in any order. */
const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('|') === [...b].sort().join('|');

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
  const { t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<InspectorEditForm>();
  const update = useMutation(trpc.inspectors.update.mutationOptions());
  const setStatus = useMutation(trpc.inspectors.setStatus.mutationOptions());
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  if (!inspector) return null;
  const submit = async (v: InspectorEditForm) => {
    setError(null);
    setSaving(true);
    try {
      const patch: Partial<Omit<InspectorEditForm, 'status'>> = {};
      const fields = ['name', 'certificateNo', 'department', 'capacityPerQuarter'] as const;
      for (const f of fields) if (v[f] !== inspector[f]) Object.assign(patch, { [f]: v[f] });
      if (!sameSet(v.specialties, inspector.specialties)) patch.specialties = v.specialties;
      if (!sameSet(v.equipment, inspector.equipment)) patch.equipment = v.equipment;
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
    <FormModal<InspectorEditForm>
      open
      width={720}
      title={`${t('inspector.editTitle')} · ${inspector.name}`}
      onClose={onClose}
      form={form}
      pending={saving}
      error={error}
      okTestId="inspector-edit-save"
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
      <Col span={8}>
        <Form.Item label={t('inspector.id')}>
          <Input value={inspector.id} disabled />
        </Form.Item>
      </Col>
      <InspectorFields testIds="inspector-edit" />
    </FormModal>
  );
}
