/** Injection token of the probe /health/ready asks about Kafka (bound to MessagingHealth). */
export const KAFKA_READINESS = Symbol('KAFKA_READINESS');
