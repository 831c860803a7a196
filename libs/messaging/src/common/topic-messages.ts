import { Message, TopicMessages } from 'kafkajs';

/** Groups messages by topic for one `producer.sendBatch`, keeping their order within each topic. */
export function topicMessages(items: Iterable<{ topic: string; message: Message }>): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, message } of items) {
    const messages = byTopic.get(topic);
    if (messages) messages.push(message);
    else byTopic.set(topic, [message]);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
