"""What the offer's services leave to the registration engine.

The engine (``apps.registrations``) builds on the catalogue: it imports it, so the catalogue
cannot import it. The slot lifecycle (create, change, cancel a slot) lives with the engine
(:mod:`apps.registrations.slot_services`); one step of the catalogue's own services reaches it
through this Django signal, whose receiver the engine connects in its ``AppConfig.ready()``
(:mod:`apps.registrations.signals`):

``course_slot_visible`` (``slot``)
    A course was just published (:func:`.offer_services.set_published`), and ``slot`` is its first
    published upcoming slot: the people waiting for a slot of the course hear of it.
"""

from django.dispatch import Signal

course_slot_visible = Signal()
