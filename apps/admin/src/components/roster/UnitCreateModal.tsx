import { useMutation } from '@tanstack/react-query';
import { Checkbox, Col, DatePicker, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { CREDIT_GRADES, RISK_GRADES, UNIT_SCALES, usccProblem } from '@spotcheck/core';
import { useTRPC } from '@spotcheck/ui/trpc';
import { useI18n, type TKey } from '../../i18n';
import { INDUSTRIES, UNIT_NATURES, VOCAB_SEARCH, vocabOptions } from '../../lib/labels';
import type { RouterInputs } from '../../lib/types';
import { UNIT_FLAGS } from '../unitFlags';
import { CountField, FormModal, useDistrictOptions, useSaved } from './FormModal';

type UnitInput = RouterInputs['units']['create'];
type UnitForm = Omit<UnitInput, 'lastFatalAccidentOn' | 'lastInspectedOn'> & {
  lastFatalAccidentOn?: Dayjs | null;
  lastInspectedOn?: Dayjs | null;
  flags?: string[];
};

const dateText = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

/** The flags a new unit may have: not 严重失信, which blacklist proceedings set (the server refuses it). */
const CREATE_FLAGS = UNIT_FLAGS.filter((f) => f !== 'blacklisted');

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

/** A field with a date picker, stored as YYYY-MM-DD. */
function DateField({ name, label }: { name: keyof UnitForm; label: string }) {
  return (
    <Col span={8}>
      <Form.Item name={name} label={label}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
    </Col>
  );
}

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
  const [form] = Form.useForm<UnitForm>();
  const districts = useDistrictOptions(bureauCode);
  const saved = useSaved(form, onClose, trpc.units.pathKey());
  const create = useMutation(
    trpc.units.create.mutationOptions({ onSuccess: (u) => saved(`${t('common.created.ok')}: ${u.name}`) }),
  );
  useEffect(() => {
    if (open && districts.length === 1) form.setFieldValue('bureauCode', districts[0]!.value);
  }, [open, districts, form]);
  const submit = ({ flags, ...v }: UnitForm) => {
    const set = new Set(flags ?? []);
    create.mutate({
      ...v,
      id: v.id.trim().toUpperCase(),
      name: v.name.trim(),
      streetCode: v.streetCode || null,
      lastFatalAccidentOn: dateText(v.lastFatalAccidentOn),
      lastInspectedOn: dateText(v.lastInspectedOn),
      ...Object.fromEntries(CREATE_FLAGS.map((f) => [f, set.has(f)])),
    });
  };
  return (
    <FormModal<UnitForm>
      open={open}
      width={860}
      title={t('unit.create')}
      onClose={onClose}
      form={form}
      pending={create.isPending}
      error={create.error}
      onFinish={submit}
      initialValues={{ scale: 'small', employees: 10, riskGrade: 'low', creditGrade: 'B', flags: [] }}
      data-testid="unit-create-form"
    >
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
      <CountField name="employees" label={t('unit.employees')} min={0} max={10_000_000} span={6} />
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
        <Form.Item name="legalRepresentative" label={t('unit.legalRepresentative')} rules={[{ max: 100 }]}>
          <Input />
        </Form.Item>
      </Col>
      <DateField name="lastFatalAccidentOn" label={t('unit.lastFatalAccidentOn')} />
      <DateField name="lastInspectedOn" label={t('unit.lastInspectedOn')} />
      <Col span={24}>
        <Form.Item name="flags" label={t('unit.flags')}>
          <Checkbox.Group options={CREATE_FLAGS.map((f) => ({ value: f, label: t(`flag.${f}`) }))} />
        </Form.Item>
      </Col>
    </FormModal>
  );
}
