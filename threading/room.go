package threading

import "context"

// Room decides where a message the engine puts into conversation c
// explicitly goes (an outgoing message composed in c), under the same cap as
// [Threader.Decide]: c itself while it has room, else the first conversation
// of c's continuation chain with room (Join), else a new conversation
// continuing the last of the chain (Continue). The caller acts on the
// decision and then calls [Threader.Record] with it, which files the message
// and links a continuation.
func (t *Threader[K]) Room(ctx context.Context, c K) (Decision[K], error) {
	c, err := t.resolve(ctx, c)
	if err != nil {
		return Decision[K]{}, err
	}
	target, n, err := t.withRoom(ctx, c)
	if err != nil {
		return Decision[K]{}, err
	}
	if n < 0 {
		return Decision[K]{Action: Continue, Conversation: target}, nil
	}
	return Decision[K]{Action: Join, Conversation: target}, nil
}
