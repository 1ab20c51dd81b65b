"""The individual support plan in chat: the wizard, the plan card, approval, delivery, export."""
