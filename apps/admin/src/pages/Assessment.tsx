export default function AssessmentPage() {
  return null;
}
